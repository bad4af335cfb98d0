"""我的待办 (jiedao/todo): per role the right items, none of another community's; the page is the
home after sign-in, its count is in the menu, and a notification tells who has new work."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.services import monthly_update_accept, monthly_update_return, monthly_update_submit
from disclosure import services as disclosure_services
from disclosure.choices import Category, Frequency
from jiedao.models import Notification
from jiedao.permissions import Role
from jiedao.todo.providers import todo_for
from showcase import services as showcase_services
from showcase.models import Rectification
from tests.communities.monthly_helpers import make_update
from tests.disclosure.factories import CatalogItemFactory, draft
from tests.matrix import LOGIN, PERSONAS, assert_matrix_covers, check_matrix
from tests.showcase.factories import make_programme, make_site, png

pytestmark = pytest.mark.django_db


def kinds(user) -> list[tuple[str, str, str | None]]:
    return [(item.kind_label, item.title, item.community_name) for item in todo_for(user)]


def submitted(secretary, community, period=date(2005, 3, 1)):
    update = make_update(secretary, community, period)
    return monthly_update_submit(actor=secretary, update=update, version=update.version)


def test_staff_see_every_submitted_update_and_a_secretary_only_their_own_returned_one(
    staff, secretary_a, secretary_b, community_a, community_b
):
    a = submitted(secretary_a, community_a)
    b = submitted(secretary_b, community_b)
    assert kinds(staff) == [("待审核月报", "2005年3月", "丛树社区"), ("待审核月报", "2005年3月", "秀水社区")]
    assert [i.url for i in todo_for(staff)] == [b.get_absolute_url(), a.get_absolute_url()]

    monthly_update_return(actor=staff, update=b, version=b.version, comment="补充活动照片")
    assert kinds(staff) == [("待审核月报", "2005年3月", "秀水社区")]
    returned = [i for i in todo_for(secretary_b) if i.kind_label == "被退回的月报"]
    assert [(i.title, i.community_name) for i in returned] == [("2005年3月", "丛树社区")]
    assert not any(i.kind_label == "被退回的月报" for i in todo_for(secretary_a))  # not another community's

    b.refresh_from_db()
    monthly_update_submit(actor=secretary_b, update=b, version=b.version)
    assert not any(i.kind_label == "被退回的月报" for i in todo_for(secretary_b))
    b.refresh_from_db()
    monthly_update_accept(actor=staff, update=b, version=b.version)
    a.refresh_from_db()
    monthly_update_accept(actor=staff, update=a, version=a.version)
    assert not any(i.kind_label == "待审核月报" for i in todo_for(staff))


def test_a_secretary_is_told_of_last_months_unfiled_update_and_their_overdue_draft(secretary_a, community_a):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    items = todo_for(secretary_a)
    unfiled = [i for i in items if i.kind_label == "月报逾期未报"]
    if timezone.localdate().day > 5:  # the deadline (the 5th) has passed
        assert len(unfiled) == 1 and unfiled[0].overdue
        assert unfiled[0].url == reverse("communities:monthly_update_create") + f"?period={last_month:%Y-%m}"
    make_update(secretary_a, community_a, date(2005, 3, 1))
    drafts = [i for i in todo_for(secretary_a) if i.kind_label == "月报草稿"]
    assert [(d.title, d.overdue) for d in drafts] == [("2005年3月", True)]


def party_item():
    """A 党务 item: it goes through the 街道's 保密审核 and 审批 (居务/财务 go to the community's 监委会)."""
    return CatalogItemFactory(category=Category.PARTY, name="党组织建设情况", frequency=Frequency.QUARTERLY)


def test_notices_wait_for_secrecy_review_then_approval_by_someone_else_and_tell_them(
    staff, make_user, secretary_a, secretary_b, community_a
):
    approver = make_user("staff2", Role.STAFF)
    notice = draft(author=secretary_a, community=community_a, item=party_item(), title="2005年一季度党组织建设情况")
    assert ("公开草稿", "2005年一季度党组织建设情况", "秀水社区") in kinds(secretary_a)
    assert not any(k[1] == "2005年一季度党组织建设情况" for k in kinds(secretary_b))

    disclosure_services.notice_submit(actor=secretary_a, notice=notice)
    for user in (staff, approver):
        assert ("保密审核", "2005年一季度党组织建设情况", "秀水社区") in kinds(user)
        assert Notification.objects.filter(recipient=user, title="保密审核：2005年一季度党组织建设情况").exists()
    assert not any(k[1] == "2005年一季度党组织建设情况" for k in kinds(secretary_a))

    disclosure_services.notice_return(actor=staff, notice=notice, comment="删去身份证号")
    assert ("被退回的公开", "2005年一季度党组织建设情况", "秀水社区") in kinds(secretary_a)
    assert Notification.objects.filter(recipient=secretary_a, title="公开被退回：2005年一季度党组织建设情况").exists()

    disclosure_services.notice_submit(actor=secretary_a, notice=notice)
    disclosure_services.notice_clear(actor=staff, notice=notice)
    assert ("审批", "2005年一季度党组织建设情况", "秀水社区") in kinds(approver)
    assert Notification.objects.filter(recipient=approver, title="审批：2005年一季度党组织建设情况").exists()
    disclosure_services.notice_approve(actor=approver, notice=notice)
    assert ("待发布的公开", "2005年一季度党组织建设情况", "秀水社区") in kinds(staff)
    assert Notification.objects.filter(recipient=staff, title="待发布的公开：2005年一季度党组织建设情况").exists()
    disclosure_services.notice_publish(actor=staff, notice=notice)
    assert not any(k[1] == "2005年一季度党组织建设情况" for user in (staff, approver, secretary_a) for k in kinds(user))


def test_the_author_of_a_cleared_notice_is_not_asked_to_approve_it(staff, make_user, community_a):
    other = make_user("staff2", Role.STAFF)
    notice = draft(author=staff, community=community_a, item=party_item(), title="财务公开")
    disclosure_services.notice_submit(actor=staff, notice=notice)
    disclosure_services.notice_clear(actor=other, notice=notice)
    assert not any(k[0] == "审批" for k in kinds(staff))
    assert ("审批", "财务公开", "秀水社区") in kinds(other)


def test_rectifications_wait_for_the_secretary_then_for_the_inspector(
    staff, inspector, secretary_a, secretary_b, community_a
):
    programme = make_programme(staff)
    site = make_site(staff, programme, community_a)
    item = showcase_services.rectification_open(
        actor=inspector,
        rectification=Rectification(site=site, description="公开栏未更新", deadline=date(2005, 6, 1)),
    )
    assert [(i.kind_label, i.title, i.overdue) for i in todo_for(secretary_a) if i.kind_label == "待整改"] == [
        ("待整改", "公开栏未更新", True)
    ]
    assert not any(i.kind_label == "待整改" for i in todo_for(secretary_b))
    assert not any(i.kind_label == "待验收的整改" for i in todo_for(inspector))

    showcase_services.rectification_report(actor=secretary_a, rectification=item, note="已更新", photo=png())
    assert not any(i.kind_label == "待整改" for i in todo_for(secretary_a))
    assert [(i.kind_label, i.url) for i in todo_for(inspector)] == [("待验收的整改", item.get_absolute_url())]
    showcase_services.rectification_close(actor=inspector, rectification=item)
    assert todo_for(inspector) == []


def test_the_page_lists_items_newest_first_and_reads_naturally_when_empty(
    client, staff, auditor, secretary_a, community_a
):
    submitted(secretary_a, community_a, date(2005, 3, 1))
    submitted(secretary_a, community_a, date(2005, 4, 1))
    client.force_login(staff)
    page = client.get(reverse("todo:list")).content.decode()
    assert "<title>我的待办 - " in page
    assert page.index("2005年4月") < page.index("2005年3月")
    assert "2 项工作待办" in page

    client.force_login(auditor)
    page = client.get(reverse("todo:list")).content.decode()
    assert 'data-testid="todo-empty"' in page and "目前没有等您处理的工作" in page and "审计员" in page


def test_the_menu_counts_the_items_through_a_badge_loaded_after_the_page(client, staff, secretary_a, community_a):
    submitted(secretary_a, community_a)
    client.force_login(staff)
    page = client.get(reverse("communities:community_list")).content.decode()
    assert f'hx-get="{reverse("todo:badge")}"' in page and "我的待办" in page
    badge = client.get(reverse("todo:badge")).content.decode()
    assert 'data-testid="todo-count"' in badge and ">1<" in badge
    client.force_login(secretary_a)
    assert "todo-count" not in client.get(reverse("todo:badge")).content.decode()  # nothing → no badge


def test_signing_in_lands_on_my_todo_list(client, staff):
    response = client.post(reverse("login"), {"username": "staff1", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and response.url == reverse("todo:list")


def test_the_page_costs_the_same_queries_for_three_items_or_thirty(
    client, staff, make_user, secretary_a, community_a, django_assert_max_num_queries
):
    for month in range(1, 4):
        submitted(secretary_a, community_a, date(2005, month, 1))
    client.force_login(staff)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("todo:list"))
    for month in range(4, 13):
        submitted(secretary_a, community_a, date(2005, month, 1))
    for year in (2003, 2004):
        for month in range(1, 13):
            submitted(secretary_a, community_a, date(year, month, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("todo:list")).content.decode()
    assert page.count('data-testid="todo-item"') == 36


def test_permission_matrix_of_the_todo_pages(personas):
    signed_in = dict.fromkeys(PERSONAS, 200) | {"anonymous": LOGIN}
    check_matrix(personas, reverse("todo:list"), signed_in)
    check_matrix(personas, reverse("todo:badge"), signed_in)
    assert_matrix_covers("todo", {"list", "badge"})


def test_the_list_kept_between_views_shows_a_change_on_the_next_view(client, staff, secretary_a, community_a):
    """The list is kept per figures version (jiedao/todo/providers.py): each write retires it."""
    client.force_login(staff)
    assert 'data-testid="todo-item"' not in client.get(reverse("todo:list")).content.decode()
    update = submitted(secretary_a, community_a)
    page = client.get(reverse("todo:list")).content.decode()
    assert page.count('data-testid="todo-item"') == 1 and "2005年3月" in page
    monthly_update_accept(actor=staff, update=update, version=update.version)
    assert 'data-testid="todo-item"' not in client.get(reverse("todo:list")).content.decode()


def test_the_kept_list_is_one_users_and_follows_their_roles(client, staff, make_user, secretary_a, community_a):
    submitted(secretary_a, community_a)
    client.force_login(staff)
    assert ">1<" in client.get(reverse("todo:badge")).content.decode()
    colleague = make_user("colleague", role=Role.STAFF)
    client.force_login(colleague)
    assert ">1<" in client.get(reverse("todo:badge")).content.decode()  # the same work, their own list
    assert client.get(reverse("todo:list")).content.decode().count('data-testid="todo-item"') == 1
    colleague.groups.clear()  # no role any more: nothing waits for them, at once
    assert "todo-count" not in client.get(reverse("todo:badge")).content.decode()
    assert 'data-testid="todo-item"' not in client.get(reverse("todo:list")).content.decode()  # nor the page
    client.force_login(secretary_a)
    assert "todo-count" not in client.get(reverse("todo:badge")).content.decode()  # not staff's list
    assert 'data-testid="todo-item"' not in client.get(reverse("todo:list")).content.decode()
