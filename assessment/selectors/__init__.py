"""Reads of appraisals, ballots and the training ledger. Query counts do not grow with rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from assessment import scoring
from assessment.choices import GRADE_ORDER, Choice, CycleStatus, Flag, Grade, TrainingKind
from assessment.models import (
    Appraisal,
    AppraisalCycle,
    BallotCode,
    BallotSession,
    OnlineTally,
    PaperTally,
    TrainingEvent,
    TrainingRecord,
    TrainingRequirement,
)
from communities.models import Cadre, Community
from communities.selectors import one_post_per_person, person_key

DEFAULT_MINIMUM_HOURS = Decimal(24)


# -- cycles and appraisals --------------------------------------------------------------------


def cycle_list() -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.annotate(
        appraisal_count=Count("appraisals", distinct=True),
        graded_count=Count("appraisals", filter=~Q(appraisals__grade=""), distinct=True),
    )


def cycle_appraisals(cycle: AppraisalCycle) -> QuerySet[Appraisal]:
    return cycle.appraisals.select_related("cadre__community")


def appraisal_queryset(*, user) -> QuerySet[Appraisal]:
    return Appraisal.objects.select_related("cycle", "cadre__community").restrict(user)


def cadres_in_office(year: int) -> QuerySet[Cadre]:
    """One post per person in office during the year: someone holding two posts (书记 and
    居委会主任) is appraised, counted and paid once (issue 14)."""
    posts = Cadre.objects.filter(term_start__lte=date(year, 12, 31)).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=date(year, 1, 1))
    )
    return one_post_per_person(posts)


def ranking(cycle: AppraisalCycle) -> list[Appraisal]:
    return list(
        cycle_appraisals(cycle).order_by(F("total").desc(nulls_last=True), "cadre__community__code", "cadre__name")
    )


def grade_distribution(appraisals) -> dict[str, int]:
    """Grade label → count, best grade first (every grade listed, zeros included)."""
    counts = defaultdict(int)
    for a in appraisals:
        if a.grade:
            counts[a.grade] += 1
    return {str(Grade(g).label): counts[g] for g in GRADE_ORDER}


# -- ballots ---------------------------------------------------------------------------------


def ballot_cadres(session: BallotSession) -> QuerySet[Cadre]:
    """Who is on the ballot: the community's cadres appraised in the session's cycle."""
    return Cadre.objects.filter(appraisals__cycle_id=session.cycle_id, community_id=session.community_id).order_by(
        "term_start", "name"
    )


def tallies(*, cycle_id: int, community_id: int | None = None) -> dict[int, scoring.Tally]:
    """cadre id → online and paper ratings together. Online ballots count once their session's
    online voting is closed (see BallotSession.voting_closed). Two queries."""
    online = OnlineTally.objects.filter(session__cycle_id=cycle_id, session__voting_closed=True)
    paper = PaperTally.objects.filter(session__cycle_id=cycle_id)
    if community_id is not None:
        online = online.filter(session__community_id=community_id)
        paper = paper.filter(session__community_id=community_id)
    result: dict[int, scoring.Tally] = defaultdict(scoring.Tally)
    zero = Value(0)
    for row in online.values("cadre_id").annotate(
        s=Coalesce(Sum("count", filter=Q(choice=Choice.SATISFIED)), zero),
        b=Coalesce(Sum("count", filter=Q(choice=Choice.BASIC)), zero),
        u=Coalesce(Sum("count", filter=Q(choice=Choice.UNSATISFIED)), zero),
    ):
        result[row["cadre_id"]] += scoring.Tally(row["s"], row["b"], row["u"])
    for row in paper.values("cadre_id", "satisfied", "basic", "unsatisfied"):
        result[row["cadre_id"]] += scoring.Tally(row["satisfied"], row["basic"], row["unsatisfied"])
    return dict(result)


@dataclass
class SessionStats:
    session: BallotSession
    codes_issued: int
    online_spent: int
    online_ballots: int

    @property
    def present(self) -> int:
        return self.online_spent + self.session.paper_present

    @property
    def valid(self) -> int:
        return self.online_ballots + self.session.paper_valid

    @property
    def invalid(self) -> int:
        return self.session.paper_invalid

    @property
    def turnout(self) -> Decimal | None:
        expected = self.session.expected_voters
        return (Decimal(self.present) / expected).quantize(scoring.FOUR, ROUND_HALF_UP) if expected else None


def session_stats(sessions: QuerySet[BallotSession]) -> list[SessionStats]:
    """Per session: codes issued and spent, online ballots, paper counts. Two queries. Each spent
    code is one online ballot (both happen in one transaction), so the ballots are the spent codes."""
    sessions = list(sessions.select_related("community", "cycle"))
    ids = [s.pk for s in sessions]
    codes = {
        r["session_id"]: r
        for r in BallotCode.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(n=Count("id"), spent=Count("id", filter=Q(spent=True)))
    }
    return [
        SessionStats(
            session=s,
            codes_issued=codes.get(s.pk, {}).get("n", 0),
            online_spent=codes.get(s.pk, {}).get("spent", 0),
            online_ballots=codes.get(s.pk, {}).get("spent", 0),
        )
        for s in sessions
    ]


@dataclass
class CadreTallyRow:
    cadre: Cadre
    tally: scoring.Tally
    satisfaction: Decimal | None
    score: Decimal | None


def session_tally_rows(session: BallotSession) -> list[CadreTallyRow]:
    cycle = session.cycle
    points = points_of(cycle)
    by_cadre = tallies(cycle_id=session.cycle_id, community_id=session.community_id)
    rows = []
    for cadre in ballot_cadres(session):
        tally = by_cadre.get(cadre.pk, scoring.Tally())
        rows.append(
            CadreTallyRow(cadre, tally, scoring.satisfaction_rate(tally), scoring.democratic_score(tally, points))
        )
    return rows


def points_of(cycle: AppraisalCycle) -> scoring.Points:
    return scoring.Points(cycle.points_satisfied, cycle.points_basic, cycle.points_unsatisfied)


def bands_of(cycle: AppraisalCycle) -> scoring.Bands:
    return scoring.Bands(cycle.band_excellent, cycle.band_competent, cycle.band_basic)


def session_codes(session: BallotSession) -> QuerySet[BallotCode]:
    return session.codes.order_by("code")


# -- flags -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRow:
    appraisal: Appraisal
    flag: str

    @property
    def label(self) -> str:
        return str(Flag(self.flag).label)


def cycle_flags(
    cycle: AppraisalCycle, by_cadre: dict[int, scoring.Tally] | None = None, appraisals: list[Appraisal] | None = None
) -> list[FlagRow]:
    """Satisfaction below 50 % (from the ballots as they stand: `by_cadre`, the cycle's `tallies`
    when the caller has them), and 不称职 in this cycle and the year before. Four queries, or one
    when the caller has the tallies and the cycle's appraisals (with their cadres) too."""
    if appraisals is None:
        appraisals = list(cycle_appraisals(cycle))
    if by_cadre is None:
        by_cadre = tallies(cycle_id=cycle.pk)
    previous = dict(
        Appraisal.objects.filter(cycle__year=cycle.year - 1, cadre_id__in=[a.cadre_id for a in appraisals])
        .order_by()
        .values_list("cadre_id", "grade")
    )
    rows = []
    for a in appraisals:
        if scoring.is_low_satisfaction(scoring.satisfaction_rate(by_cadre.get(a.cadre_id, scoring.Tally()))):
            rows.append(FlagRow(a, Flag.LOW_SATISFACTION))
        if scoring.is_incompetent_twice(a.grade, previous.get(a.cadre_id)):
            rows.append(FlagRow(a, Flag.INCOMPETENT_TWICE))
    return rows


# -- results ---------------------------------------------------------------------------------


@dataclass
class CommunityTable:
    community: Community
    appraisals: list = field(default_factory=list)


def community_tables(appraisals) -> list[CommunityTable]:
    tables: dict[int, CommunityTable] = {}
    for a in appraisals:
        table = tables.setdefault(a.cadre.community_id, CommunityTable(a.cadre.community))
        table.appraisals.append(a)
    return sorted(tables.values(), key=lambda t: t.community.code)


def my_closed_cycles(*, user) -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.filter(status=CycleStatus.CLOSED)


# -- training --------------------------------------------------------------------------------


def training_years() -> list[int]:
    """The years in which a training event starts, newest first (the pickers offer these)."""
    return sorted({d.year for d in TrainingEvent.objects.dates("start_date", "year")}, reverse=True)


def training_events(*, year: int | None = None) -> QuerySet[TrainingEvent]:
    qs = TrainingEvent.objects.annotate(record_count=Count("records"))
    return qs.filter(start_date__year=year) if year else qs


def training_event_records(event: TrainingEvent) -> QuerySet[TrainingRecord]:
    return event.records.select_related("cadre__community").order_by("cadre__community__code", "cadre__name")


def minimum_hours(year: int) -> Decimal:
    found = TrainingRequirement.objects.filter(year=year).values_list("minimum_hours", flat=True).first()
    return found if found is not None else DEFAULT_MINIMUM_HOURS


@dataclass
class HoursRow:
    cadre: Cadre
    hours: Decimal

    below: bool = False


def training_hours(*, year: int, community_id: int | None = None) -> tuple[Decimal, list[HoursRow]]:
    """(minimum, one row per cadre in office that year with their hours). Three queries."""
    minimum = minimum_hours(year)
    # what the hours page and the report show of a cadre: a year's posts are read whole nowhere
    cadres = cadres_in_office(year).select_related("community").only("name", "post", "person_id", "community__name")
    if community_id is not None:
        cadres = cadres.filter(community_id=community_id)
    hours = defaultdict(Decimal)  # per person: the hours of all their posts' records, each event once
    seen = set()
    for cadre_id, person_id, event_id, h in (
        TrainingRecord.objects.filter(event__start_date__year=year)
        .annotate(h=Coalesce("hours", "event__hours"))
        .values_list("cadre_id", "cadre__person_id", "event_id", "h")
        .order_by()  # summed: the records' ordering would join the events, cadres and communities to sort
    ):
        key = person_key(cadre_id, person_id)
        if (key, event_id) not in seen:
            seen.add((key, event_id))
            hours[key] += h or 0
    rows = []
    for cadre in cadres.order_by("community__code", "term_start", "name"):
        h = hours.get(person_key(cadre.pk, cadre.person_id)) or Decimal(0)
        rows.append(HoursRow(cadre, h, h < minimum))
    return minimum, rows


# -- the dashboard and annual-report contract ----------------------------------------------------


def dashboard_figures(*, year: int) -> dict:
    """{"appraisal_completion": Decimal 0..1 or None, "grade_distribution": {label: count}}."""
    return dashboard_figures_by_year(years=[year])[year]


def dashboard_figures_by_year(*, years) -> dict[int, dict]:
    """`dashboard_figures` of several years, keyed by year. One query."""
    found: dict[int, dict] = {year: {} for year in years}
    for year, grade, n in (
        Appraisal.objects.filter(cycle__year__in=years)
        .order_by()
        .values_list("cycle__year", "grade")
        .annotate(n=Count("id"))
        .values_list("cycle__year", "grade", "n")
    ):
        found[year][grade] = n
    figures = {}
    for year in years:
        total, graded = sum(found[year].values()), sum(n for g, n in found[year].items() if g != "")
        completion = (Decimal(graded) / total).quantize(scoring.FOUR, ROUND_HALF_UP) if total else None
        grades = {str(Grade(g).label): found[year].get(g, 0) for g in GRADE_ORDER}
        figures[year] = {"appraisal_completion": completion, "grade_distribution": grades}
    return figures


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / denominator).quantize(scoring.FOUR, ROUND_HALF_UP)


def held_by_subdistrict(organiser: str) -> bool:
    """An event is the sub-district's own (alone or with others) when its organiser names the
    sub-district (街道); one a higher body ran (区委, 区委组织部) is one its cadres attended."""
    return "街道" in organiser


def _hours_in_year(event, first: date, last: date) -> Decimal:
    """The event's hours in proportion to its days that fall between `first` and `last`."""
    days = (event.end_date - event.start_date).days + 1
    inside = (min(event.end_date, last) - max(event.start_date, first)).days + 1
    if inside >= days:
        return event.hours
    return (event.hours * inside / days).quantize(Decimal("0.1"), ROUND_HALF_UP)


def annual_report_section(*, year: int) -> dict:
    """Plain data for the report's 队伍建设 (training, appraisal) and 基层民主 (民主测评) parts."""
    # training: the events that ran in the year, by kind. An event over several years (a degree
    # course) counts the share of its hours that falls in this year, by days; an event another
    # body organised (the organiser does not name the sub-district, e.g. 区委) is counted apart.
    first, last = date(year, 1, 1), date(year, 12, 31)
    events = list(
        TrainingEvent.objects.filter(start_date__lte=last, end_date__gte=first)
        .annotate(recorded=Count("records"))
        .only("kind", "start_date", "end_date", "hours", "headcount", "organiser")
    )
    by_kind = defaultdict(lambda: {"count": 0, "hours": Decimal(0), "participants": 0})
    own = {"count": 0, "hours": Decimal(0)}
    outside = {"count": 0, "participants": 0}
    for event in events:
        share = _hours_in_year(event, first, last)
        row = by_kind[event.kind]
        row["count"] += 1
        row["hours"] += share
        row["participants"] += max(event.headcount or 0, event.recorded)
        if held_by_subdistrict(event.organiser):
            own["count"] += 1
            own["hours"] += share
        else:
            outside["count"] += 1
            outside["participants"] += max(event.headcount or 0, event.recorded)
    kinds = [{"kind": str(kind.label), **by_kind[kind.value]} for kind in TrainingKind]
    minimum, rows = training_hours(year=year)
    below = [
        {"cadre": r.cadre.name, "post": r.cadre.post, "community": r.cadre.community.name, "hours": r.hours}
        for r in rows
        if r.below
    ]

    # appraisal
    cycle = AppraisalCycle.objects.filter(year=year).first()
    appraisal = None
    evaluation = None
    if cycle is not None:
        by_cadre = tallies(cycle_id=cycle.pk)
        averages = ("committee", "democratic", "target", "total")
        counted = cycle.appraisals.aggregate(
            appraised=Count("pk"),
            committee=Avg("committee_score"),
            democratic=Avg("democratic_score"),
            target=Avg("target_score"),
            total=Avg("total"),
            **{f"grade_{g}": Count("pk", filter=Q(grade=g)) for g in GRADE_ORDER},
        )
        appraisals = list(  # the flagged cadres' names, and each appraised cadre's community
            cycle_appraisals(cycle).only(
                "cycle", "grade", "cadre__name", "cadre__post", "cadre__person_id", "cadre__community__name"
            )
        )
        appraisal = {
            "status": str(CycleStatus(cycle.status).label),
            "appraised": counted["appraised"],
            "grade_distribution": {str(Grade(g).label): counted[f"grade_{g}"] for g in GRADE_ORDER},
            "averages": {
                k: (counted[k].quantize(scoring.TWO, ROUND_HALF_UP) if counted[k] is not None else None)
                for k in averages
            },
            "flags": [
                {
                    "cadre": f.appraisal.cadre.name,
                    "post": f.appraisal.cadre.post,
                    "community": f.appraisal.cadre.community.name,
                    "flag": f.label,
                }
                for f in cycle_flags(cycle, by_cadre, appraisals)
            ],
        }

        # democratic evaluation
        stats = session_stats(cycle.sessions.all())
        cadre_community = {a.cadre_id: a.cadre.community_id for a in appraisals}
        ratings = defaultdict(scoring.Tally)
        for cadre_id, tally in by_cadre.items():
            ratings[cadre_community.get(cadre_id)] += tally
        communities = []
        overall = scoring.Tally()
        for s in stats:
            tally = ratings.get(s.session.community_id, scoring.Tally())
            overall += tally
            communities.append(
                {
                    "community": s.session.community.name,
                    "expected": s.session.expected_voters,
                    "present": s.present,
                    "valid": s.valid,
                    "invalid": s.invalid,
                    "turnout": s.turnout,
                    "satisfaction": scoring.satisfaction_rate(tally),
                }
            )
        expected = sum(s.session.expected_voters for s in stats)
        present = sum(s.present for s in stats)
        evaluation = {
            "sessions": len(stats),
            "expected": expected,
            "present": present,
            "turnout": _rate(present, expected),
            "valid": sum(s.valid for s in stats),
            "invalid": sum(s.invalid for s in stats),
            "satisfaction": scoring.satisfaction_rate(overall),
            "communities": communities,
        }
    return {
        "year": year,
        "training": {
            "kinds": kinds,
            "events": own["count"],
            "hours": own["hours"],
            "outside_events": outside["count"],
            "outside_participants": outside["participants"],
            "minimum_hours": minimum,
            "cadres": len(rows),
            "below_minimum": below,
        },
        "appraisal": appraisal,
        "evaluation": evaluation,
    }


from assessment.selectors.todo import todo_items  # noqa: E402, F401 — 我的待办 (jiedao/todo)
