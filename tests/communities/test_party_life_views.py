"""The register's and the ledger's pages: flat query counts, the monthly form's read-only meeting
figures, the secretary's attendance form and the half-yearly draft."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import DuesBase, DuesPayment, MeetingAttendance, PartyMeeting
from communities.models.dues import DuesCategory
from communities.models.meetings import MeetingKind
from disclosure.models import Notice
from tests.communities.party_life import branch_of, member_of_branch

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _members(branch, n, start=0):
    members = []
    for i in range(start, start + n):
        member = member_of_branch(branch, name=f"党员{i:03d}")
        DuesBase.objects.create(
            member=member, effective_from=date(2005, 1, 1), category=DuesCategory.REDUCED, monthly_amount=Decimal("0.2")
        )
        DuesPayment.objects.create(member=member, amount=1, paid_on=date(2005, 3, 1), paid_through=date(2005, 3, 1))
        members.append(member)
    return members


def test_the_ledger_and_the_register_run_the_same_queries_for_more_rows(
    secretary_a, community_a, django_assert_num_queries
):
    branch = branch_of(community_a)
    client = client_for(secretary_a)
    _members(branch, 3)
    for day in (1, 2):
        PartyMeeting.objects.create(
            organisation=branch, kind=MeetingKind.THEME_DAY, held_on=date(2005, 3, day), topic="x"
        )
    ledger = reverse("partylife:dues_ledger", args=[community_a.pk])
    register = reverse("partylife:meeting_list", args=[community_a.pk]) + "?year=2005"
    counts = {}
    for url in (ledger, register):
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts[url] = len(few)
    _members(branch, 25, start=10)
    for day in range(3, 28):
        PartyMeeting.objects.create(
            organisation=branch, kind=MeetingKind.COMMITTEE, held_on=date(2005, 4, day), topic="x"
        )
    for url, n in counts.items():
        with django_assert_num_queries(n):
            assert client.get(url).status_code == 200


def test_the_monthly_form_shows_the_registers_figures_read_only(secretary_a, community_a):
    branch_of(community_a)
    page = client_for(secretary_a).get(reverse("communities:monthly_update_create") + "?period=2005-03")
    html = page.content.decode()
    assert 'name="theme_days"' in html and "由三会一课台账自动统计" in html
    field = html[html.index('name="theme_days"') - 300 : html.index('name="theme_days"') + 300]
    assert "disabled" in field


def test_the_secretary_ticks_the_roll_and_an_absentee_without_reason_is_refused(secretary_a, community_a):
    branch = branch_of(community_a)
    a, b = member_of_branch(branch, name="甲"), member_of_branch(branch, name="乙")
    meeting = PartyMeeting.objects.create(
        organisation=branch, kind=MeetingKind.GENERAL, held_on=date(2005, 3, 1), topic="x"
    )
    client = client_for(secretary_a)
    url = reverse("partylife:meeting_attendance", args=[meeting.pk])
    page = client.post(url, {f"present_{a.pk}": "on", f"reason_{b.pk}": ""}, follow=True)
    assert "乙：请填写缺席原因。" in page.content.decode() and not MeetingAttendance.objects.exists()
    client.post(url, {f"present_{a.pk}": "on", f"reason_{b.pk}": "病假"})
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert MeetingAttendance.objects.filter(present=True).count() == 1 and "2 / 1" in detail


def test_the_half_yearly_draft_lands_on_the_board_as_a_party_internal_draft(secretary_a, community_a):
    _members(branch_of(community_a), 2)
    response = client_for(secretary_a).post(
        reverse("partylife:dues_half_year_draft", args=[community_a.pk]), {"year": 2005, "half": 1}
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.is_draft and "2.00" in notice.body


def test_the_register_opens_on_the_latest_year_with_meetings(secretary_a, community_a):
    """Issue 13 finding 2: not on the empty current year; the picker offers years with meetings."""
    branch = branch_of(community_a)
    PartyMeeting.objects.create(organisation=branch, kind=MeetingKind.THEME_DAY, held_on=date(2005, 3, 1), topic="学习")
    page = client_for(secretary_a).get(reverse("partylife:meeting_list", args=[community_a.pk])).content.decode()
    assert '<option value="2005" selected>' in page and "学习" in page
    assert '<option value="2004"' not in page
