"""A large roster import is audited by ONE change-log entry listing its rows (issue 16: the per-row
entries were ~40 % of a 10,000-row import); a small one keeps an entry per row. Still all or
nothing, still masked, and readable on the auditor's page."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from communities.models import PartyMember
from communities.resources import PartyMemberResource
from jiedao import imports
from jiedao.audit import IMPORT_ROWS_PER_ROW_ENTRIES
from tests.communities.factories import valid_id_number
from tests.communities.test_import_export import MEMBER_HEADER, csv_upload

pytestmark = pytest.mark.django_db

N = IMPORT_ROWS_PER_ROW_ENTRIES + 50


def rows(n: int, mobile="13812345678") -> list[list[str]]:
    out = [MEMBER_HEADER]
    for i in range(n):
        birth = date(1960, 1, 1) + timedelta(days=i)
        member_id = valid_id_number(i, birth)
        out.append(["A01", f"党员{i}", "男", birth.isoformat(), member_id, mobile, "1995-07-01", "正式"])
    return out


@pytest.fixture
def reveal_staff(staff):
    staff.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    return type(staff).objects.get(pk=staff.pk)


def member_entries():
    return LogEntry.objects.filter(content_type__model="partymember")


def test_a_large_import_is_one_entry_listing_every_row(client, reveal_staff, community_a):
    data = rows(N)
    outcome = imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(data))
    assert outcome.ok and outcome.created == N
    entry = member_entries().get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == reveal_staff
    listed = entry.changes_dict["import_created"]
    for member in PartyMember.objects.all():
        assert f"#{member.pk} {member.name}" in listed
    assert "13812345678" not in str(entry.changes) and valid_id_number(0, date(1960, 1, 1)) not in str(entry.changes)

    # re-imported with a new mobile: one UPDATE entry naming each row and its masked change
    data = rows(N, mobile="13987654321")
    outcome = imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(data))
    assert outcome.ok and outcome.updated == N
    update = member_entries().latest("timestamp")
    assert update.action == LogEntry.Action.UPDATE and member_entries().count() == 2
    changed = update.changes_dict["import_changed"]
    assert changed.count("→") == N and "13987654321" not in changed and "139****4321" in changed

    # the auditor's page shows it as rows created / changed, without full numbers
    client.force_login(reveal_staff)
    page = client.get(reverse("jiedao:audit_log")).content.decode()
    assert "党员149" in page and "13987654321" not in page


def test_a_small_import_keeps_an_entry_per_row(reveal_staff, community_a):
    assert imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(rows(3))).ok
    assert member_entries().count() == 3 and {e.object_repr for e in member_entries()} == {"党员0", "党员1", "党员2"}


def test_a_refused_large_import_writes_nothing_and_logs_nothing(reveal_staff, community_a):
    data = rows(N)
    data[N // 2][4] = "12345"  # not an ID number
    outcome = imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(data))
    assert not outcome.ok and outcome.bad_lines == [N // 2 + 1]
    assert PartyMember.objects.count() == 0 and member_entries().count() == 0
