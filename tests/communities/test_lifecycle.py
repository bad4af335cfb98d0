"""发展党员 (issue 14 item 3): steps in order and not too early, each refused with a reason and
nothing changed; status derived from the dates; the 预备期 reminder sent once; the 转正 decision."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from communities.choices import MemberStatus, ProbationDecision, RecruitStage
from communities.models import PartyMember, Person, Recruit, add_years
from communities.services import lifecycle
from jiedao.models import Notification
from tests.communities.factories import PartyMemberFactory, valid_id_number
from tests.communities.party_life import branch_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(community_a):
    return branch_of(community_a)


def applicant(community, n=901):
    return Person(
        community=community,
        name="李申请",
        gender="female",
        birth_date=date(1980, 5, 1),
        id_number=valid_id_number(n, date(1980, 5, 1)),
    )


def to_candidate(secretary, branch, community):
    recruit = lifecycle.recruit_apply(
        actor=secretary, person=applicant(community), branch=branch, applied_on=date(2003, 3, 1)
    )
    lifecycle.recruit_make_activist(actor=secretary, recruit=recruit, on=date(2003, 6, 1), contacts="王国华、李秀英")
    lifecycle.recruit_make_candidate(actor=secretary, recruit=recruit, on=date(2004, 6, 1))
    return Recruit.objects.get(pk=recruit.pk)


def admitted(secretary, branch, community) -> PartyMember:
    recruit = to_candidate(secretary, branch, community)
    lifecycle.recruit_record_review(actor=secretary, recruit=recruit, on=date(2004, 8, 1))
    # 2004-09-01 (Wed) to 2004-09-07 (Tue): 5 working days
    lifecycle.recruit_record_publicity(actor=secretary, recruit=recruit, start=date(2004, 9, 1), end=date(2004, 9, 7))
    lifecycle.recruit_record_branch_meeting(actor=secretary, recruit=recruit, on=date(2004, 9, 10))
    return lifecycle.recruit_approve(actor=secretary, recruit=recruit, on=date(2004, 9, 28))


def test_the_whole_way_from_application_to_full_member(secretary_a, branch, community_a):
    member = admitted(secretary_a, branch, community_a)
    recruit = Recruit.objects.get(member=member)
    assert recruit.stage == RecruitStage.ACCEPTED
    assert member.joined_on == date(2004, 9, 10)  # the 预备期 runs from the 支部大会
    assert member.branch == branch and member.person == recruit.person
    assert member.status_on(date(2004, 9, 30)) == MemberStatus.PROBATIONARY
    lifecycle.member_record_oath(actor=secretary_a, member=member, on=date(2004, 10, 1))
    member = lifecycle.member_decide_probation(
        actor=secretary_a, member=member, decision=ProbationDecision.ON_TIME, on=date(2005, 9, 15)
    )
    assert member.full_on == date(2005, 9, 10)  # full from the day the 预备期 ended
    assert member.status_on(date(2005, 9, 9)) == MemberStatus.PROBATIONARY
    assert member.status_on(date(2005, 9, 10)) == MemberStatus.FULL


def test_candidate_after_less_than_a_year_of_cultivation_is_refused(secretary_a, branch, community_a):
    recruit = lifecycle.recruit_apply(
        actor=secretary_a, person=applicant(community_a), branch=branch, applied_on=date(2003, 3, 1)
    )
    lifecycle.recruit_make_activist(actor=secretary_a, recruit=recruit, on=date(2003, 6, 1), contacts="王国华")
    with pytest.raises(ValidationError) as refused:
        lifecycle.recruit_make_candidate(actor=secretary_a, recruit=recruit, on=date(2004, 5, 31))
    assert "时间过早" in str(refused.value) and "2004年6月1日" in str(refused.value)
    assert Recruit.objects.get(pk=recruit.pk).candidate_on is None
    lifecycle.recruit_make_candidate(actor=secretary_a, recruit=recruit, on=date(2004, 6, 1))  # the day a year is up


@pytest.mark.parametrize(
    "step",
    [
        lambda s, r: lifecycle.recruit_make_candidate(actor=s, recruit=r, on=date(2006, 1, 1)),
        lambda s, r: lifecycle.recruit_record_review(actor=s, recruit=r, on=date(2006, 1, 1)),
        lambda s, r: lifecycle.recruit_record_publicity(
            actor=s, recruit=r, start=date(2006, 1, 4), end=date(2006, 1, 20)
        ),
        lambda s, r: lifecycle.recruit_record_branch_meeting(actor=s, recruit=r, on=date(2006, 1, 1)),
        lambda s, r: lifecycle.recruit_approve(actor=s, recruit=r, on=date(2006, 1, 1)),
    ],
)
def test_a_step_out_of_order_is_refused(secretary_a, branch, community_a, step):
    recruit = lifecycle.recruit_apply(
        actor=secretary_a, person=applicant(community_a), branch=branch, applied_on=date(2003, 3, 1)
    )
    with pytest.raises(ValidationError):
        step(secretary_a, recruit)
    assert Recruit.objects.get(pk=recruit.pk).stage == RecruitStage.APPLICANT
    assert not PartyMember.objects.exists()


def test_publicity_needs_five_working_days(secretary_a, branch, community_a):
    recruit = to_candidate(secretary_a, branch, community_a)
    lifecycle.recruit_record_review(actor=secretary_a, recruit=recruit, on=date(2004, 8, 1))
    # 2004-09-27 (Mon) to 2004-10-07: 国庆 holidays, only 4 working days (27–30 September)
    with pytest.raises(ValidationError) as refused:
        lifecycle.recruit_record_publicity(
            actor=secretary_a, recruit=recruit, start=date(2004, 9, 27), end=date(2004, 10, 7)
        )
    assert "4" in str(refused.value)
    assert Recruit.objects.get(pk=recruit.pk).publicity_start is None
    lifecycle.recruit_record_publicity(
        actor=secretary_a, recruit=recruit, start=date(2004, 9, 27), end=date(2004, 10, 11)
    )


def test_branch_meeting_only_after_the_publicity(secretary_a, branch, community_a):
    recruit = to_candidate(secretary_a, branch, community_a)
    lifecycle.recruit_record_review(actor=secretary_a, recruit=recruit, on=date(2004, 8, 1))
    lifecycle.recruit_record_publicity(actor=secretary_a, recruit=recruit, start=date(2004, 9, 1), end=date(2004, 9, 7))
    with pytest.raises(ValidationError):
        lifecycle.recruit_record_branch_meeting(actor=secretary_a, recruit=recruit, on=date(2004, 9, 7))


def test_applicant_under_18_is_refused(secretary_a, branch, community_a):
    person = applicant(community_a)
    with pytest.raises(ValidationError):
        lifecycle.recruit_apply(actor=secretary_a, person=person, branch=branch, applied_on=date(1998, 4, 30))
    assert not Person.objects.exists()


def test_full_membership_before_the_probation_ends_is_refused(secretary_a, branch, community_a):
    member = admitted(secretary_a, branch, community_a)
    lifecycle.member_record_oath(actor=secretary_a, member=member, on=date(2004, 10, 1))
    with pytest.raises(ValidationError) as refused:
        lifecycle.member_decide_probation(
            actor=secretary_a, member=member, decision=ProbationDecision.ON_TIME, on=date(2005, 9, 9)
        )
    assert "2005" in str(refused.value)
    assert PartyMember.objects.get(pk=member.pk).full_on is None


def test_full_membership_needs_the_oath(secretary_a, branch, community_a):
    member = admitted(secretary_a, branch, community_a)
    with pytest.raises(ValidationError):
        lifecycle.member_decide_probation(
            actor=secretary_a, member=member, decision=ProbationDecision.ON_TIME, on=date(2005, 9, 15)
        )


def test_extension_once_then_full_at_the_new_end(secretary_a, branch, community_a):
    member = admitted(secretary_a, branch, community_a)
    lifecycle.member_record_oath(actor=secretary_a, member=member, on=date(2004, 10, 1))
    member = lifecycle.member_decide_probation(
        actor=secretary_a, member=member, decision=ProbationDecision.EXTEND, on=date(2005, 9, 15), extend_months=6
    )
    assert member.probation_end == date(2006, 3, 10)
    assert member.status_on(date(2005, 12, 31)) == MemberStatus.EXTENDED
    with pytest.raises(ValidationError):  # a second extension
        lifecycle.member_decide_probation(
            actor=secretary_a, member=member, decision=ProbationDecision.EXTEND, on=date(2006, 3, 15), extend_months=6
        )
    with pytest.raises(ValidationError):  # before the extended end
        lifecycle.member_decide_probation(
            actor=secretary_a, member=member, decision=ProbationDecision.ON_TIME, on=date(2006, 3, 1)
        )
    member = lifecycle.member_decide_probation(
        actor=secretary_a, member=member, decision=ProbationDecision.ON_TIME, on=date(2006, 3, 12)
    )
    assert member.full_on == date(2006, 3, 10)


def test_extension_longer_than_a_year_is_refused(secretary_a, branch, community_a):
    member = admitted(secretary_a, branch, community_a)
    with pytest.raises(ValidationError):
        lifecycle.member_decide_probation(
            actor=secretary_a, member=member, decision=ProbationDecision.EXTEND, on=date(2005, 9, 15), extend_months=13
        )


def test_cancelled_probation_leaves_the_roll(secretary_a, branch, community_a):
    member = admitted(secretary_a, branch, community_a)
    lifecycle.member_decide_probation(
        actor=secretary_a, member=member, decision=ProbationDecision.CANCEL, on=date(2005, 9, 20)
    )
    member.refresh_from_db()
    assert member.status_on(date(2005, 9, 20)) == MemberStatus.DISQUALIFIED
    assert PartyMember.objects.active_on(date(2005, 9, 19)).filter(pk=member.pk).exists()
    assert not PartyMember.objects.active_on(date(2005, 9, 20)).filter(pk=member.pk).exists()


def test_status_is_derived_from_dates_in_the_database_too(community_a):
    probationary = PartyMemberFactory(community=community_a, joined_on=date(2005, 3, 1))
    full = PartyMemberFactory(community=community_a, joined_on=date(1990, 3, 1), full_on=date(1991, 3, 1))
    extended = PartyMemberFactory(
        community=community_a,
        joined_on=date(2004, 3, 1),
        extension_decided_on=date(2005, 3, 5),
        probation_ends_on=date(2005, 9, 1),
    )
    day = date(2005, 12, 31)
    annotated = dict(PartyMember.objects.with_status(day).values_list("pk", "derived_status"))
    for member in (probationary, full, extended):
        assert annotated[member.pk] == member.status_on(day)
    assert annotated[probationary.pk] == MemberStatus.PROBATIONARY
    assert annotated[full.pk] == MemberStatus.FULL
    assert annotated[extended.pk] == MemberStatus.EXTENDED
    assert not hasattr(PartyMember, "category")  # nobody types a status any more


def test_a_full_date_inside_the_probation_is_invalid(community_a):
    member = PartyMemberFactory.build(community=community_a, joined_on=date(2005, 3, 1), full_on=date(2005, 12, 1))
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "full_on" in refused.value.error_dict


def test_probation_reminder_once_a_month_before_the_end(secretary_a, branch, community_a):
    member = PartyMemberFactory(community=community_a, branch=branch, joined_on=date(2004, 9, 10))
    end = add_years(member.joined_on, 1)
    assert lifecycle.probation_reminders_send(today=date(2005, 8, 10)) == 0  # 31 days before: not yet
    assert lifecycle.probation_reminders_send(today=date(2005, 8, 11)) == 1
    assert lifecycle.probation_reminders_send(today=date(2005, 8, 12)) == 0  # once
    assert lifecycle.probation_reminders_send(today=date(2005, 9, 1)) == 0
    notice = Notification.objects.get(recipient=secretary_a)
    assert member.name in notice.title and str(end.year) in notice.title


def test_a_secretary_cannot_work_on_another_communitys_recruit(secretary_b, secretary_a, branch, community_a):
    recruit = lifecycle.recruit_apply(
        actor=secretary_a, person=applicant(community_a), branch=branch, applied_on=date(2003, 3, 1)
    )
    with pytest.raises(Http404):
        lifecycle.recruit_make_activist(actor=secretary_b, recruit=recruit, on=date(2003, 6, 1), contacts="王")


def test_the_step_page_refuses_a_too_early_step_in_chinese(client, secretary_a, branch, community_a):
    recruit = lifecycle.recruit_apply(
        actor=secretary_a, person=applicant(community_a), branch=branch, applied_on=date(2003, 3, 1)
    )
    lifecycle.recruit_make_activist(actor=secretary_a, recruit=recruit, on=date(2003, 6, 1), contacts="王国华")
    client.force_login(secretary_a)
    url = reverse("org:recruit_step", args=[recruit.pk])
    response = client.post(url, {"step": "candidate", "on": "2004-05-01"})
    assert response.status_code == 200
    assert "时间过早" in response.content.decode()
    assert Recruit.objects.get(pk=recruit.pk).candidate_on is None
    response = client.post(url, {"step": "candidate", "on": "2004-06-01"})
    assert response.status_code == 302
    assert Recruit.objects.get(pk=recruit.pk).stage == RecruitStage.CANDIDATE


def test_an_application_through_the_page(client, secretary_a, branch, community_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("org:recruit_create", args=[community_a.pk]),
        {
            "name": "钱申请",
            "gender": "female",
            "birth_date": "1985-02-03",
            "id_number": valid_id_number(55, date(1985, 2, 3)),
            "branch": branch.pk,
            "applied_on": "2005-01-10",
        },
    )
    assert response.status_code == 302
    assert Recruit.objects.get(person__name="钱申请").stage == RecruitStage.APPLICANT
