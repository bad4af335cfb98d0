"""The menu every signed-in page draws (jiedao/navigation.py): each process draws it once per role
set and current entry, so these check that what a user sees still follows their roles and the page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from jiedao.models import Notification
from jiedao.permissions import ROLE_GROUPS, Role

pytestmark = pytest.mark.django_db


def _current_entries(page: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', page)


def test_the_menu_marks_the_page_you_are_on_and_no_other(client, staff):
    client.force_login(staff)
    communities, dashboard = reverse("communities:community_list"), reverse("jiedao:dashboard")
    assert _current_entries(client.get(communities).content.decode()) == [communities]
    page = client.get(dashboard).content.decode()
    assert _current_entries(page) == [dashboard] and f'href="{communities}"' in page
    # a page outside the menu marks nothing
    assert _current_entries(client.get(reverse("notification_list")).content.decode()) == []


def test_a_role_taken_away_leaves_the_menu_on_the_next_page(client, staff):
    staff.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role.INSPECTOR])[0])
    client.force_login(staff)
    overview, communities = reverse("communities:monthly_update_overview"), reverse("communities:community_list")
    page = client.get(reverse("todo:list")).content.decode()
    assert overview in page and communities in page
    staff.groups.remove(Group.objects.get(name=ROLE_GROUPS[Role.STAFF]))
    page = client.get(reverse("todo:list")).content.decode()
    assert overview not in page and communities in page  # an inspector's entries stay


def test_the_menu_counts_only_my_unread_notifications(client, staff, secretary_a):
    def note(user, key, read=False):
        Notification.objects.create(recipient=user, key=key, title=key, read_at=timezone.now() if read else None)

    note(staff, "a"), note(staff, "b"), note(staff, "c", read=True), note(secretary_a, "d")
    client.force_login(staff)
    page = client.get(reverse("todo:list")).content.decode()
    assert re.search(r'data-testid="unread-count">2<', page)
    client.post(reverse("notification_list"))  # 全部标为已读
    assert 'data-testid="unread-count"' not in client.get(reverse("todo:list")).content.decode()
