"""A party member on a phone: signs in, opens the meeting's sign-in link (what its QR code holds),
is marked present, and sees the meeting and their dues (issue 14)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import DuesBase, DuesPayment, MeetingAttendance, PartyMeeting
from communities.models.dues import DuesCategory
from communities.models.meetings import AttendanceMode, MeetingKind
from communities.services.meetings import meeting_signin_token
from jiedao.permissions import Role
from tests.communities.party_life import branch_of, member_of_branch
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_signs_in_to_a_meeting_from_its_qr_code(phone_page, make_user, community_a):
    user = make_user("dangyuan", Role.MEMBER)
    branch = branch_of(community_a)
    member = member_of_branch(branch, user=user, name="王秀英")
    meeting = PartyMeeting.objects.create(
        organisation=branch, kind=MeetingKind.THEME_DAY, held_on=timezone.localdate(), topic="重温入党誓词"
    )
    DuesBase.objects.create(
        member=member,
        effective_from=date(2005, 1, 1),
        category=DuesCategory.EMPLOYED,
        monthly_base=Decimal("2000"),
        monthly_amount=Decimal("10.00"),
    )
    DuesPayment.objects.create(
        member=member, amount=Decimal("120.00"), paid_on=date(2005, 12, 20), paid_through=date(2005, 12, 1)
    )

    login(phone_page, user)
    phone_page.goto(reverse("partylife:meeting_signin", args=[meeting_signin_token(meeting)]))
    assert "重温入党誓词" in phone_page.content()
    assert_accessible(phone_page)
    phone_page.get_by_test_id("signin-button").click()
    phone_page.wait_for_load_state()

    row = MeetingAttendance.objects.get(meeting=meeting, member=member)
    assert row.present and row.mode == AttendanceMode.QR
    assert phone_page.url.endswith(reverse("partylife:my_meetings"))
    meetings = phone_page.get_by_test_id("my-meetings")
    assert "重温入党誓词" in meetings.inner_text() and "已到会" in meetings.inner_text()
    assert phone_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(phone_page)

    phone_page.goto(reverse("partylife:my_dues"))
    summary = phone_page.get_by_test_id("dues-summary").inner_text()
    assert "10.00" in summary and "2005年12月" in summary
    assert "120.00" in phone_page.get_by_test_id("dues-payments").inner_text()
    assert_accessible(phone_page)
