"""The change log: writes are recorded (personal numbers masked), auditors read it, nobody edits it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from communities.services import party_member_save
from tests.communities.factories import PartyMemberFactory
from tests.matrix import check_matrix

pytestmark = pytest.mark.django_db


def test_audit_log_page_matrix(personas):
    check_matrix(
        personas,
        reverse("jiedao:audit_log"),
        {
            "anonymous": 302,
            "resident": 403,
            "secretary_a": 403,
            "secretary_b": 403,
            "staff": 200,
            "inspector": 403,
            "auditor": 200,
            "supervisor_a": 403,
        },
    )


def test_member_changes_are_logged_with_masked_numbers(client, staff, auditor, community_a):
    member = PartyMemberFactory(community=community_a, mobile="13812345678")
    member.mobile = "13987654321"
    party_member_save(actor=staff, member=member)
    entry = LogEntry.objects.get_for_object(member).order_by("-timestamp").first()
    assert "mobile" in entry.changes_dict
    assert "13987654321" not in entry.changes and member.id_number not in entry.changes
    client.force_login(auditor)
    page = client.get(reverse("jiedao:audit_log")).content.decode()
    assert member.name in page and "13987654321" not in page


@pytest.fixture
def superuser_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    client.force_login(admin)
    return client


def test_superusers_may_read_but_not_change_or_delete_log_entries(superuser_client, staff, community_a):
    member = PartyMemberFactory(community=community_a)
    party_member_save(actor=staff, member=member)
    entry = LogEntry.objects.filter(action=LogEntry.Action.CREATE).first()  # saving also links the Person
    assert superuser_client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    page = superuser_client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert superuser_client.post(change_url, {"action": 2}).status_code == 403
    assert superuser_client.get(reverse("admin:auditlog_logentry_delete", args=[entry.pk])).status_code == 403
    assert (
        superuser_client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    bulk = superuser_client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    entry.refresh_from_db()
    assert entry.action == LogEntry.Action.CREATE
