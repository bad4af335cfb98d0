"""The appraisal cycle, scoring through the services, ballots (online and paper) and training."""

import threading
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models

from assessment import selectors, services
from assessment.choices import Choice, CycleStatus, Grade
from assessment.models import (
    Appraisal,
    AppraisalCycle,
    BallotCode,
    BallotSession,
    OnlineTally,
    TrainingRecord,
)
from jiedao.permissions import ROLE_GROUPS
from tests.assessment.conftest import score
from tests.assessment.factories import TrainingEventFactory
from tests.communities.factories import CadreFactory

pytestmark = pytest.mark.django_db


def ratings_for(session, choice=Choice.SATISFIED):
    return {c.pk: choice for c in selectors.ballot_cadres(session)}


def online_votes(session=None) -> int:
    """How many (cadre, rating) marks the online counters hold: ballots × cadres on the ballot."""
    rows = OnlineTally.objects.filter(session=session) if session else OnlineTally.objects.all()
    return rows.aggregate(n=models.Sum("count"))["n"] or 0


# -- the cycle ---------------------------------------------------------------------------------


def test_new_cycle_has_the_default_weights_and_bands(staff):
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2006))
    assert (cycle.weight_committee, cycle.weight_democratic, cycle.weight_target) == (20, 30, 50)
    assert (cycle.band_excellent, cycle.band_competent, cycle.band_basic) == (90, 80, 70)
    assert cycle.status == CycleStatus.DRAFT


@pytest.mark.parametrize("weights", [(20, 30, 40), (50, 50, 50), (0, 0, 0)])
def test_weights_must_sum_to_100(staff, weights):
    cycle = AppraisalCycle(
        year=2006, weight_committee=weights[0], weight_democratic=weights[1], weight_target=weights[2]
    )
    with pytest.raises(ValidationError):
        services.cycle_save(actor=staff, cycle=cycle)
    assert not AppraisalCycle.objects.exists()


def test_only_staff_run_appraisals(secretary_a, inspector):
    for user in (secretary_a, inspector):
        with pytest.raises(PermissionDenied):
            services.cycle_save(actor=user, cycle=AppraisalCycle(year=2006))


def test_start_creates_an_appraisal_per_cadre_in_office(staff, cadres_a, cadres_b, community_a):
    from datetime import date

    CadreFactory(community=community_a, name="离任者", term_start=date(2001, 1, 1), term_end=date(2003, 12, 31))
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    assert services.cycle_start(actor=staff, cycle=cycle) == 4
    assert set(cycle.appraisals.values_list("cadre__name", flat=True)) == {"张国华", "李秀英", "王建明", "陈丛树"}
    with pytest.raises(ValidationError):
        services.cycle_start(actor=staff, cycle=cycle)  # not a draft any more


def test_scores_give_total_grade_and_pay(staff, open_cycle, session_a):
    appraisal = open_cycle.appraisals.get(cadre__name="张国华")
    score(staff, appraisal, committee=90, target=70)
    assert appraisal.committee_score == Decimal("90.00")
    assert appraisal.total is None and appraisal.grade == ""  # no ballots yet
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=2)
    services.ballot_cast(code=codes[0], ratings=ratings_for(session_a, Choice.SATISFIED))
    services.ballot_cast(code=codes[1], ratings=ratings_for(session_a, Choice.BASIC))
    services.cycle_recalculate(actor=staff, cycle=open_cycle)
    appraisal.refresh_from_db()
    assert appraisal.democratic_score is None  # online ballots stay out while online voting is open
    services.session_close_voting(actor=staff, session=session_a)
    appraisal.refresh_from_db()
    # democratic (100 + 60) / 2 = 80; total 90×20% + 80×30% + 70×50% = 18 + 24 + 35 = 77
    assert appraisal.democratic_score == Decimal("80.00")
    assert appraisal.satisfaction == Decimal("1.0000")
    assert appraisal.total == Decimal("77.00")
    assert appraisal.grade == Grade.BASIC
    assert appraisal.pay_coefficient == open_cycle.pay_basic


def test_veto_forces_incompetent_and_needs_a_reason(staff, open_cycle, session_a):
    appraisal = open_cycle.appraisals.get(cadre__name="李秀英")
    appraisal.veto = True
    appraisal.veto_reason = "  "
    with pytest.raises(ValidationError):
        services.appraisal_save(actor=staff, appraisal=appraisal)
    appraisal = score(
        staff, open_cycle.appraisals.get(cadre__name="李秀英"), committee=99, target=99, veto_reason="违反廉洁纪律"
    )
    assert appraisal.grade == Grade.INCOMPETENT
    assert appraisal.pay_coefficient == open_cycle.pay_incompetent


def test_a_closed_cycle_cannot_change(staff, open_cycle, session_a):
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=2)
    services.cycle_close(actor=staff, cycle=open_cycle)
    open_cycle.refresh_from_db()
    appraisal = open_cycle.appraisals.first()
    appraisal.target_score = Decimal(50)
    with pytest.raises(ValidationError):
        services.appraisal_save(actor=staff, appraisal=appraisal)
    open_cycle.weight_committee, open_cycle.weight_target = 30, 40
    with pytest.raises(ValidationError):
        services.cycle_save(actor=staff, cycle=open_cycle)
    with pytest.raises(ValidationError):
        services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    with pytest.raises(ValidationError):
        services.paper_tally_save(actor=staff, session=session_a, present=0, valid=0, invalid=0, counts={})
    with pytest.raises(services.BallotRejected):
        services.ballot_cast(code=codes[0], ratings=ratings_for(session_a))
    assert AppraisalCycle.objects.get().weight_committee == 20
    assert online_votes() == 0
    assert Appraisal.objects.filter(target_score=50).count() == 0


# -- ballots ------------------------------------------------------------------------------------


def test_codes_are_long_random_and_limited_to_the_expected_voters(staff, session_a):
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=8)
    assert len(set(codes)) == 8
    assert all(len(c) == 12 and set(c) <= set(services.CODE_ALPHABET) for c in codes)
    with pytest.raises(ValidationError):
        services.ballot_codes_issue(actor=staff, session=session_a, count=3)  # 8 + 3 > 10 expected
    assert BallotCode.objects.count() == 8


def test_a_code_votes_once(staff, session_a):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    services.ballot_cast(code=services.format_code(code).lower(), ratings=ratings_for(session_a))
    with pytest.raises(services.BallotRejected, match="already been used|已使用"):
        services.ballot_cast(code=code, ratings=ratings_for(session_a))
    assert online_votes() == 3  # one ballot rating three cadres


@pytest.mark.parametrize("bad", ["missing", "extra", "nonsense"])
def test_a_ballot_must_rate_exactly_the_communitys_cadres(staff, session_a, cadres_b, bad):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    ratings = ratings_for(session_a)
    if bad == "missing":
        ratings.popitem()
    elif bad == "extra":
        ratings[cadres_b[0].pk] = Choice.SATISFIED
    else:
        ratings[next(iter(ratings))] = "excellent"
    with pytest.raises(ValidationError):
        services.ballot_cast(code=code, ratings=ratings)
    assert not BallotCode.objects.get().spent
    assert online_votes() == 0


def test_online_ratings_join_the_tally_only_when_online_voting_closes(staff, open_cycle, session_a, cadres_a):
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=3)
    services.ballot_cast(code=codes[0], ratings=ratings_for(session_a, Choice.UNSATISFIED))
    assert selectors.tallies(cycle_id=open_cycle.pk) == {}
    assert (
        selectors.session_stats(BallotSession.objects.filter(pk=session_a.pk))[0].online_ballots == 1
    )  # turnout: live
    services.session_close_voting(actor=staff, session=session_a)
    assert selectors.tallies(cycle_id=open_cycle.pk)[cadres_a[0].pk] == selectors.scoring.Tally(0, 0, 1)
    with pytest.raises(services.BallotRejected):  # the unused codes stop working
        services.ballot_cast(code=codes[1], ratings=ratings_for(session_a))
    with pytest.raises(ValidationError):
        services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    assert online_votes() == 3


def test_unknown_code_is_rejected(session_a):
    with pytest.raises(services.BallotRejected):
        services.ballot_cast(code="ABCDABCDABCD", ratings={})


def test_paper_tally_adds_to_online_ballots(staff, open_cycle, session_a, cadres_a):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    services.ballot_cast(code=code, ratings=ratings_for(session_a, Choice.UNSATISFIED))
    counts = {cadres_a[0].pk: (5, 1, 0), cadres_a[1].pk: (2, 2, 2), cadres_a[2].pk: (0, 1, 5)}
    services.paper_tally_save(actor=staff, session=session_a, present=7, valid=6, invalid=1, counts=counts)
    services.session_close_voting(actor=staff, session=session_a)
    stats = selectors.session_stats(BallotSession.objects.filter(pk=session_a.pk))[0]
    assert (stats.present, stats.valid, stats.invalid) == (8, 7, 1)
    tallies = selectors.tallies(cycle_id=open_cycle.pk)
    assert tallies[cadres_a[0].pk] == selectors.scoring.Tally(5, 1, 1)
    appraisal = Appraisal.objects.get(cadre=cadres_a[2])
    # 王建明: paper 0/1/5 + online 不满意 → satisfaction 1/7, flagged below 50 %
    assert appraisal.satisfaction == Decimal("0.1429")
    flagged = {(f.appraisal.cadre.name, f.flag) for f in selectors.cycle_flags(open_cycle)}
    assert ("王建明", "low_satisfaction") in flagged and ("张国华", "low_satisfaction") not in flagged


@pytest.mark.parametrize(
    ("present", "valid", "invalid", "counts", "field"),
    [
        (7, 6, 0, (6, 0, 0), "paper_present"),  # present ≠ valid + spoilt
        (11, 11, 0, (11, 0, 0), "paper_present"),  # more than the 10 expected
        (6, 6, 0, (3, 2, 0), "cadre"),  # a cadre's counts do not add up to the valid ballots
    ],
)
def test_paper_tally_must_add_up(staff, session_a, cadres_a, present, valid, invalid, counts, field):
    all_counts = {c.pk: counts for c in cadres_a}
    with pytest.raises(ValidationError) as raised:
        services.paper_tally_save(
            actor=staff, session=session_a, present=present, valid=valid, invalid=invalid, counts=all_counts
        )
    assert any(key.startswith(field) for key in raised.value.message_dict)
    session_a.refresh_from_db()
    assert session_a.paper_present == 0 and not session_a.paper_tallies.exists()


def test_incompetent_in_two_consecutive_years_is_flagged(staff, cadres_a, cadres_b, community_a):
    def run(year, committee):
        cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=year))
        services.cycle_start(actor=staff, cycle=cycle)
        session = services.session_save(
            actor=staff, session=BallotSession(cycle=cycle, community=community_a, expected_voters=5)
        )
        counts = {c.pk: (0, 0, 5) for c in cadres_a}
        services.paper_tally_save(actor=staff, session=session, present=5, valid=5, invalid=0, counts=counts)
        for appraisal in cycle.appraisals.filter(cadre__community=community_a):
            score(staff, appraisal, committee=committee if appraisal.cadre.name == "王建明" else 100, target=100)
        services.cycle_close(actor=staff, cycle=cycle)
        return cycle

    run(2004, committee=60)
    cycle = run(2005, committee=60)
    grades = dict(cycle.appraisals.values_list("cadre__name", "grade"))
    # 王建明: 60×20% + 0×30% + 100×50% = 62 → 不称职 both years; the others 20 + 0 + 50 = 70 → 基本称职
    assert grades["王建明"] == Grade.INCOMPETENT and grades["张国华"] == Grade.BASIC
    twice = [f.appraisal.cadre.name for f in selectors.cycle_flags(cycle) if f.flag == "incompetent_twice"]
    assert twice == ["王建明"]


# -- anonymity and concurrency -------------------------------------------------------------------


def test_the_voting_tables_hold_nothing_that_identifies_the_code_voter_or_moment(staff, session_a):
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=3)
    rows_before = OnlineTally.objects.count()
    for code in codes:
        services.ballot_cast(code=code, ratings=ratings_for(session_a))
    # no row per ballot: the counters of the session are the same rows before and after voting
    assert OnlineTally.objects.count() == rows_before == 3 * len(ratings_for(session_a))
    # no column points at a code, a user, or a moment; a code keeps no time and no link
    for model in (OnlineTally, BallotCode):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.DateTimeField), f"{model.__name__}.{field.name}"
            if field.is_relation:
                assert field.related_model not in (BallotCode, staff.__class__), f"{model.__name__}.{field.name}"
    assert {f.name for f in OnlineTally._meta.concrete_fields} == {"id", "session", "cadre", "choice", "count"}
    assert {f.name for f in BallotCode._meta.concrete_fields} == {"id", "session", "code", "spent"}
    # nothing of any code in any counter, and no audit-log trail of counters or codes
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {OnlineTally._meta.db_table}")  # noqa: S608 (a fixed table name)
        dump = " ".join(str(v) for row in cursor.fetchall() for v in row)
        assert not any(code in dump for code in codes)
    kinds = ContentType.objects.get_for_models(OnlineTally, BallotCode).values()
    assert not LogEntry.objects.filter(content_type__in=kinds).exists()


@pytest.fixture
def role_groups(transactional_db):
    """The role groups come from a data migration; an earlier transactional test's flush removes them."""
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two connections racing for one row lock: SQLite serialises the whole database instead",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_two_simultaneous_submissions_of_one_code_record_one_ballot(staff, session_a):
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=5)
    ratings = ratings_for(session_a)
    for code in codes:
        barrier = threading.Barrier(2)
        outcomes = []

        def submit(code=code, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                services.ballot_cast(code=code, ratings=ratings)
                outcomes.append("recorded")
            except services.BallotRejected:
                outcomes.append("rejected")
            finally:
                connection.close()

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["recorded", "rejected"]
    assert online_votes() == 5 * len(ratings)
    assert BallotCode.objects.filter(spent=True).count() == 5


# -- training ------------------------------------------------------------------------------------


def test_yearly_hours_against_the_minimum(staff, cadres_a):
    from datetime import date

    big = TrainingEventFactory(hours=40)
    small = TrainingEventFactory(hours=8)
    last_year = TrainingEventFactory(hours=100, start_date=date(2004, 5, 1), end_date=date(2004, 5, 1))
    for event, cadre, hours in [
        (big, cadres_a[0], None),
        (small, cadres_a[0], None),
        (big, cadres_a[1], Decimal(20)),  # left half-way
        (last_year, cadres_a[2], None),  # another year's hours do not count
    ]:
        services.training_record_save(actor=staff, record=TrainingRecord(event=event, cadre=cadre, hours=hours))
    services.training_requirement_set(actor=staff, year=2005, minimum_hours=Decimal(24))
    minimum, rows = selectors.training_hours(year=2005)
    assert minimum == 24
    assert {r.cadre.name: (r.hours, r.below) for r in rows} == {
        "张国华": (Decimal(48), False),
        "李秀英": (Decimal(20), True),
        "王建明": (Decimal(0), True),
    }


def test_a_cadre_attends_an_event_once(staff, cadres_a):
    event = TrainingEventFactory()
    services.training_record_save(actor=staff, record=TrainingRecord(event=event, cadre=cadres_a[0]))
    with pytest.raises(ValidationError):
        services.training_record_save(actor=staff, record=TrainingRecord(event=event, cadre=cadres_a[0]))
    assert TrainingRecord.objects.count() == 1
