"""The 三会一课 and 主题党日 register: 应到 from the membership on the day, attendance with
reasons, QR sign-in, the cadence per branch (quarter boundaries) and the monthly figures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from communities.choices import MonthlyStatus
from communities.models import MeetingAttendance, MonthlyUpdate, PartyMeeting
from communities.models.meetings import AttendanceMode, MeetingKind
from communities.selectors import compute_compliance
from communities.selectors.meetings import branch_cadence, meeting_roll
from communities.services import monthly_update_create, monthly_update_submit
from communities.services.meetings import (
    meeting_attendance_record,
    meeting_save,
    meeting_sign_in,
    meeting_signin_reset,
    meeting_signin_token,
)
from jiedao.permissions import Role
from tests.communities.party_life import branch_of, committee_post, group_of, member_of_branch

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(community_a):
    return branch_of(community_a)


def meeting(branch, kind=MeetingKind.GENERAL, day=date(2005, 3, 10), actor=None, org=None):
    return PartyMeeting.objects.create(organisation=org or branch, kind=kind, held_on=day, topic="学习")


def test_expected_members_come_from_the_membership_on_the_day(branch, secretary_a):
    stays = member_of_branch(branch, name="甲")
    member_of_branch(branch, name="新人", joined_on=date(2005, 4, 1))  # joins after the meeting
    member_of_branch(branch, name="转出", left_on=date(2005, 3, 1))  # transferred out before
    member_of_branch(branch_of(branch.community, "另一支部"), name="别的支部")
    held = meeting_save(
        actor=secretary_a,
        meeting=PartyMeeting(organisation=branch, kind=MeetingKind.GENERAL, held_on=date(2005, 3, 10), topic="学习"),
    )
    roll = meeting_roll(held)
    assert [r.member for r in roll.rows] == [stays] and roll.expected == 1 and roll.present == 0


def test_a_committee_meeting_expects_the_committee(branch):
    secretary = member_of_branch(branch, name="书记")
    member_of_branch(branch, name="普通党员")
    committee_post(branch, secretary)
    assert [r.member for r in meeting_roll(meeting(branch, MeetingKind.COMMITTEE)).rows] == [secretary]


def test_meeting_kind_must_fit_the_organisation(branch, secretary_a, secretary_b):
    group = group_of(branch, "第一党小组")
    with pytest.raises(ValidationError) as caught:
        meeting_save(
            actor=secretary_a,
            meeting=PartyMeeting(organisation=branch, kind=MeetingKind.GROUP, held_on=date(2005, 3, 1), topic="x"),
        )
    assert "organisation" in caught.value.error_dict
    with pytest.raises(ValidationError):
        meeting_save(
            actor=secretary_a,
            meeting=PartyMeeting(organisation=group, kind=MeetingKind.LECTURE, held_on=date(2005, 3, 1), topic="x"),
        )
    with pytest.raises(Http404):
        meeting_save(
            actor=secretary_b,
            meeting=PartyMeeting(organisation=branch, kind=MeetingKind.LECTURE, held_on=date(2005, 3, 1), topic="x"),
        )
    assert not PartyMeeting.objects.exists()


def test_every_absentee_needs_a_reason_and_nothing_is_written_otherwise(branch, secretary_a):
    a, b, c = (member_of_branch(branch, name=n) for n in ("甲", "乙", "丙"))
    held = meeting(branch)
    with pytest.raises(ValidationError) as caught:
        meeting_attendance_record(
            actor=secretary_a, meeting=held, marks={a.pk: (True, ""), b.pk: (False, ""), c.pk: (False, " ")}
        )
    assert len(caught.value.messages) == 2 and "乙" in caught.value.messages[0]
    assert not MeetingAttendance.objects.exists()
    meeting_attendance_record(
        actor=secretary_a, meeting=held, marks={a.pk: (True, ""), b.pk: (False, "病假"), c.pk: (True, "")}
    )
    roll = meeting_roll(held)
    assert (roll.expected, roll.present, [r.member for r in roll.absent]) == (3, 2, [b])
    with pytest.raises(ValidationError):  # the database refuses an absence without a reason too
        MeetingAttendance(meeting=held, member=a, present=False).full_clean()


def test_a_stranger_cannot_be_ticked(branch, secretary_a, community_a):
    other = member_of_branch(branch_of(community_a, "二支部"))
    with pytest.raises(ValidationError):
        meeting_attendance_record(actor=secretary_a, meeting=meeting(branch), marks={other.pk: (True, "")})


@pytest.fixture
def member_user(make_user, community_a):
    return make_user("dangyuan", Role.MEMBER)


def test_a_member_signs_in_from_the_qr_code_on_the_day(branch, member_user):
    member = member_of_branch(branch, user=member_user)
    held = meeting(branch, day=date(2005, 3, 10))
    token = meeting_signin_token(held)
    row = meeting_sign_in(actor=member_user, token=token, today=date(2005, 3, 10))
    assert row.present and row.mode == AttendanceMode.QR and row.member == member and row.signed_at
    meeting_sign_in(actor=member_user, token=token, today=date(2005, 3, 10))  # twice: still one row
    assert MeetingAttendance.objects.count() == 1


def test_a_qr_sign_in_survives_the_secretarys_ticks(branch, member_user, secretary_a):
    member = member_of_branch(branch, user=member_user)
    held = meeting(branch)
    meeting_sign_in(actor=member_user, token=meeting_signin_token(held), today=held.held_on)
    meeting_attendance_record(actor=secretary_a, meeting=held, marks={member.pk: (False, "忘了")})
    assert MeetingAttendance.objects.get().present


def test_the_sign_in_code_works_on_the_meeting_day_only(branch, member_user):
    member_of_branch(branch, user=member_user)
    held = meeting(branch, day=date(2005, 3, 10))
    token = meeting_signin_token(held)
    for day in (date(2005, 3, 9), date(2005, 3, 11)):
        with pytest.raises(ValidationError):
            meeting_sign_in(actor=member_user, token=token, today=day)
    assert not MeetingAttendance.objects.exists()


def test_a_forged_or_reset_code_is_404(branch, member_user, secretary_a):
    member_of_branch(branch, user=member_user)
    held = meeting(branch)
    token = meeting_signin_token(held)
    with pytest.raises(Http404):
        meeting_sign_in(actor=member_user, token=token[:-2] + "xx", today=held.held_on)
    meeting_signin_reset(actor=secretary_a, meeting=held)
    with pytest.raises(Http404):
        meeting_sign_in(actor=member_user, token=token, today=held.held_on)


def test_another_organisations_member_gets_404(branch, make_user, community_a, secretary_a):
    outsider_user = make_user("waiyuan", Role.MEMBER)
    member_of_branch(branch_of(community_a, "二支部"), user=outsider_user)
    held = meeting(branch)
    with pytest.raises(Http404):
        meeting_sign_in(actor=outsider_user, token=meeting_signin_token(held), today=held.held_on)
    with pytest.raises(Http404):  # an account that is no member at all
        meeting_sign_in(actor=secretary_a, token=meeting_signin_token(held), today=held.held_on)
    assert not MeetingAttendance.objects.exists()


# -- cadence ----------------------------------------------------------------------------------


def _full_month(branch, groups, month, year=2005):
    meeting(branch, MeetingKind.COMMITTEE, date(year, month, 5))
    meeting(branch, MeetingKind.THEME_DAY, date(year, month, 6))
    for group in groups:
        meeting(branch, MeetingKind.GROUP, date(year, month, 7), org=group)


def test_cadence_counts_ended_periods_and_judges_quarters_after_they_end(branch):
    groups = [group_of(branch, "一组"), group_of(branch, "二组")]
    for month in (1, 2, 3):
        _full_month(branch, groups, month)
    meeting(branch, MeetingKind.GENERAL, date(2005, 3, 31))  # last day of Q1
    meeting(branch, MeetingKind.LECTURE, date(2005, 1, 1))  # first day of Q1

    [march] = branch_cadence(year=2005, today=date(2005, 3, 31), branches=[branch])
    # January and February: 支委会 + two 党小组会 each; Q1 not ended yet
    assert (march.required, march.met, march.theme_required, march.theme_met) == (6, 6, 2, 2)

    [april] = branch_cadence(year=2005, today=date(2005, 4, 1), branches=[branch])
    # three months × 3, and Q1's 党员大会 and 党课
    assert (april.required, april.met, april.theme_required, april.theme_met) == (11, 11, 3, 3)
    assert april.misses == []

    [july] = branch_cadence(year=2005, today=date(2005, 7, 1), branches=[branch])
    # April–June nothing held: 9 monthly misses and Q2's two quarterly ones; 3 theme days missed
    assert (july.required, july.met, july.theme_required, july.theme_met) == (22, 11, 6, 3)
    assert any("二组" in m for m in july.misses)


def test_a_meeting_on_the_first_of_april_counts_for_the_second_quarter(branch):
    meeting(branch, MeetingKind.GENERAL, date(2005, 4, 1))
    meeting(branch, MeetingKind.LECTURE, date(2005, 4, 1))
    [cadence] = branch_cadence(year=2005, today=date(2005, 7, 1), branches=[branch])
    q1_general_missed = [m for m in cadence.misses if "第一季度" in m or "first quarter" in m]
    q2_missed = [m for m in cadence.misses if "第二季度" in m or "second quarter" in m]
    assert len(q1_general_missed) == 2 and q2_missed == []


def test_a_branch_founded_mid_year_is_judged_from_its_founding(community_a):
    young = branch_of(community_a, "新支部", founded_on=date(2005, 5, 20))
    [cadence] = branch_cadence(year=2005, today=date(2006, 1, 1), branches=[young])
    # May (founded in it) to December: 8 months of 支委会; Q2 to Q4: 3 × 2
    assert cadence.required == 8 + 6 and cadence.theme_required == 8


def test_theme_days_are_not_one_of_the_three_meetings_and_one_lesson():
    month = {"branch_committee_meetings": 1, "group_meetings": 1, "theme_days": 0}
    quarter = {**month, "general_meetings": 1, "party_lectures": 1}
    result = compute_compliance(year=2005, accepted={1: month, 2: month, 3: quarter}, due=[1, 2, 3])
    assert (result.required, result.met) == (8, 8)  # 3 × (支委会, 党小组会) + 党员大会 + 党课
    assert (result.theme_required, result.theme_met) == (3, 0)


# -- the monthly update filled from the register --------------------------------------------------


def test_the_monthly_update_takes_its_meeting_figures_from_the_register(branch, secretary_a, community_a):
    group = group_of(branch, "一组")
    meeting(branch, MeetingKind.COMMITTEE, date(2005, 3, 2))
    meeting(branch, MeetingKind.THEME_DAY, date(2005, 3, 3))
    meeting(branch, MeetingKind.GROUP, date(2005, 3, 4), org=group)
    meeting(branch, MeetingKind.GROUP, date(2005, 4, 4), org=group)  # next month
    text = {"key_work": "a", "member_activities": "b", "problems": "c", "next_plan": "d"}
    update = monthly_update_create(
        actor=secretary_a,
        community=community_a,
        period=date(2005, 3, 1),
        data={**text, "branch_committee_meetings": 9, "party_lectures": 4},  # typed figures are ignored
        now=_aware(2005, 3, 25),
    )
    figures = ("branch_committee_meetings", "general_meetings", "group_meetings", "party_lectures", "theme_days")
    assert [getattr(update, f) for f in figures] == [1, 0, 1, 0, 1]
    meeting(branch, MeetingKind.LECTURE, date(2005, 3, 28))  # recorded after the draft
    update = monthly_update_submit(actor=secretary_a, update=update, version=update.version, now=_aware(2005, 4, 2))
    update = MonthlyUpdate.objects.get(pk=update.pk)
    assert update.status == MonthlyStatus.SUBMITTED and update.party_lectures == 1


def _aware(y, m, d):
    return datetime(y, m, d, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
