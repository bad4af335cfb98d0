"""The organisation tree and its checks (issue 14 item 1), one person with two posts counted once in
every figure (item 2), and the demo's figures agreeing everywhere (item 8)."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404

from assessment import services as assessment_services
from assessment.choices import TrainingKind
from assessment.models import Appraisal, AppraisalCycle, TrainingEvent, TrainingRecord
from assessment.selectors import annual_report_section, cadres_in_office, training_hours
from communities import demo
from communities.choices import Committee, MemberStatus, OrgKind
from communities.models import Cadre, CommunityYear, MonthlyUpdate, PartyMember, PartyOrganisation, Person
from communities.selectors import membership_figures
from communities.selectors.membership import organisation_tree
from communities.services import cadre_save, monthly_update_create
from communities.services.organisation import organisation_save
from jiedao import demo as jiedao_demo
from jiedao.reporting.figures import economy
from tests.communities.factories import CadreFactory, PersonFactory
from tests.communities.party_life import branch_of, group_of, member_of_branch, working_committee

pytestmark = pytest.mark.django_db


# -- one person, two posts ------------------------------------------------------------------------


@pytest.fixture
def two_posts(community_a, staff):
    """和成's 韩芬: 党支部书记 and 居委会主任, one Person; and an ordinary 委员."""
    person = PersonFactory(community=community_a, name="韩芬")
    secretary = CadreFactory(community=community_a, person=person, name="韩芬", post="党支部书记")
    director = CadreFactory(
        community=community_a, person=person, name="韩芬", post="居委会主任", committee=Committee.RESIDENTS
    )
    other = CadreFactory(community=community_a, name="王委员", post="党支部委员")
    return secretary, director, other


def test_cadre_save_links_a_second_post_to_the_same_person(community_a, staff):
    first = cadre_save(
        actor=staff, cadre=Cadre(community=community_a, name="韩芬", post="党支部书记", term_start=date(2004, 3, 1))
    )
    second = cadre_save(
        actor=staff,
        cadre=Cadre(
            community=community_a,
            name="韩芬",
            post="居委会主任",
            committee=Committee.RESIDENTS,
            term_start=date(2004, 3, 1),
        ),
    )
    assert first.person_id == second.person_id
    assert Person.objects.filter(name="韩芬").count() == 1


def test_direct_election_is_for_party_posts_only(community_a, staff):
    with pytest.raises(ValidationError) as refused:
        cadre_save(
            actor=staff,
            cadre=Cadre(
                community=community_a,
                name="张主任",
                post="居委会主任",
                committee=Committee.RESIDENTS,
                term_start=date(2004, 3, 1),
                directly_elected=True,
            ),
        )
    assert "directly_elected" in refused.value.error_dict
    assert not Cadre.objects.exists()


def test_one_person_with_two_posts_is_counted_trained_appraised_and_paid_once(two_posts, staff):
    secretary, director, other = two_posts
    # counted once
    assert set(cadres_in_office(2005)) == {secretary, other}
    rows = economy(year=2005, with_cadres=True).rows
    assert sum(len(r.cadres) for r in rows) == 2
    # appraised (and so paid) once
    cycle = AppraisalCycle.objects.create(year=2005)
    assert assessment_services.cycle_start(actor=staff, cycle=cycle) == 2
    assert Appraisal.objects.filter(cycle=cycle, cadre__person=secretary.person).count() == 1
    # trained: the records of both posts add up to one person's hours, the same event once
    event = TrainingEvent.objects.create(
        kind=TrainingKind.CLASS,
        title="培训班",
        start_date=date(2005, 4, 1),
        end_date=date(2005, 4, 2),
        place="街道",
        organiser="街道党工委",
        hours=Decimal("8"),
    )
    other_event = TrainingEvent.objects.create(
        kind=TrainingKind.CLASS,
        title="第二期",
        start_date=date(2005, 6, 1),
        end_date=date(2005, 6, 1),
        place="街道",
        organiser="街道党工委",
        hours=Decimal("4"),
    )
    TrainingRecord.objects.create(event=event, cadre=secretary)
    TrainingRecord.objects.create(event=event, cadre=director)  # the same day, recorded on both posts
    TrainingRecord.objects.create(event=other_event, cadre=director)
    _minimum, hours = training_hours(year=2005)
    by_person = {row.cadre.person_id: row.hours for row in hours}
    assert len(hours) == 2
    assert by_person[secretary.person_id] == Decimal("12")
    section = annual_report_section(year=2005)
    assert section["appraisal"]["appraised"] == 2


# -- the tree and its checks -----------------------------------------------------------------------


def test_tree_shape_is_checked(community_a, community_b, staff):
    root = working_committee()
    branch = branch_of(community_a)
    with pytest.raises(ValidationError):  # a 党小组 directly under the 党工委
        organisation_save(
            actor=staff,
            organisation=PartyOrganisation(community=community_a, parent=root, kind=OrgKind.GROUP, name="错的小组"),
        )
    with pytest.raises(ValidationError):  # under another community's branch
        organisation_save(
            actor=staff,
            organisation=PartyOrganisation(community=community_b, parent=branch, kind=OrgKind.GROUP, name="别处小组"),
        )
    group = organisation_save(
        actor=staff,
        organisation=PartyOrganisation(community=community_a, parent=branch, kind=OrgKind.GROUP, name="第一党小组"),
    )
    assert group.parent == branch


def test_a_secretary_keeps_only_their_own_communitys_tree(community_b, secretary_a):
    with pytest.raises(Http404):
        organisation_save(
            actor=secretary_a,
            organisation=PartyOrganisation(
                community=community_b, parent=working_committee(), kind=OrgKind.BRANCH, name="B支部"
            ),
        )


def test_tree_flags_a_big_branch_a_small_committee_and_a_due_term(community_a, community_b, staff):
    big = branch_of(community_a)
    for _ in range(51):
        member_of_branch(big)
    committee = PartyOrganisation.objects.create(
        community=community_b,
        parent=working_committee(),
        kind=OrgKind.COMMITTEE,
        name="B党委",
        term_start=date(2021, 3, 1),
        term_end=date(2026, 2, 28),
    )
    under = PartyOrganisation.objects.create(
        community=community_b, parent=committee, kind=OrgKind.BRANCH, name="B第一支部"
    )
    for _ in range(30):
        member_of_branch(under)
    group_of(under, "B第一党小组")
    rows = {r.organisation.name: r for r in organisation_tree(user=staff, today=date(2025, 12, 1))}
    assert rows[big.name].members == 51 and rows[big.name].warnings
    assert rows["B党委"].members == 30 and rows["B党委"].warnings  # far below 100
    assert rows["B党委"].term_due  # 换届 due within three months
    assert not organisation_tree(user=staff, today=date(2025, 10, 1))[0].term_due
    assert not rows["B第一支部"].warnings


# -- the demo: 409 members, 24 newly developed, everywhere -----------------------------------------


def test_demo_membership_agrees_across_roster_indicators_and_report():
    demo.load(stdout=StringIO(), password="x")
    figures = membership_figures(2005)
    assert figures.members == 409
    assert figures.newly_developed == 24
    assert figures.by_status[MemberStatus.PROBATIONARY] == 24  # exactly the 2005 intake is probationary
    end = date(2005, 12, 31)
    for member in PartyMember.objects.active_on(end):
        # status consistent with the dates: joined before 2005 → full by the end of 2005
        assert member.status_on(end) == (
            MemberStatus.PROBATIONARY if member.joined_on.year == 2005 else MemberStatus.FULL
        )
    assert sum(CommunityYear.objects.filter(year=2005).values_list("party_member_count", flat=True)) == 409
    assert economy(year=2005).members_total == 409
    assert figures.organisations[OrgKind.BRANCH] == 20  # 社区党支部, not 党委/总支 of 20 members
    hanfen = Person.objects.get(name="韩芬", community__name="和成社区")
    assert hanfen.cadre_posts.count() == 2 and hanfen.membership is not None
    assert cadres_in_office(2005).filter(person=hanfen).count() == 1
    demo.load(stdout=StringIO(), password="x")  # idempotent
    assert membership_figures(2005).members == 409 and PartyMember.objects.newly_developed_in(2005).count() == 24
    assert not MonthlyUpdate.objects.exists()


def test_the_monthly_updates_new_members_come_from_the_roster(community_a, community_b, secretary_a, secretary_b):
    branch = branch_of(community_a)
    member_of_branch(branch, joined_on=date(2005, 3, 10))  # admitted in March
    arrived = member_of_branch(branch, joined_on=date(2001, 3, 10))
    arrived.arrived_on = date(2005, 3, 20)  # a transfer in is not a new member
    arrived.save()
    update = monthly_update_create(
        actor=secretary_a, community=community_a, period=date(2005, 3, 1), data={"new_members": 7}
    )
    assert update.new_members == 1  # what the roster says, not what was typed
    # a community whose roster is not in the tree yet still types it
    typed = monthly_update_create(
        actor=secretary_b, community=community_b, period=date(2005, 3, 1), data={"new_members": 2}
    )
    assert typed.new_members == 2


def test_demo_monthly_updates_report_the_rosters_new_members():
    """The 2005 monthly updates' 新发展党员 add up to the roster's 24 (the report read 24 from the
    updates while the old roster said 78)."""
    demo.load(stdout=StringIO(), password="x")
    jiedao_demo.load(stdout=StringIO(), password="x")  # the accounts, then the monthly updates
    typed = MonthlyUpdate.objects.filter(period__year=2005).aggregate(n=Sum("new_members"))["n"]
    assert typed == membership_figures(2005).newly_developed == 24
