"""The 四权 index (residents' rights to know, to take part, to decide and to supervise) per
community and year, each part computed from the portal's records and documented on the public
page that explains it (templates/public/rights/method.html). Every part is 0–100, or None when the
community has no record for it that year (then it is left out of the index, never counted as 0).

- 知情 (know) = 80 % × the community board's 公开及时率 (items due that year published on time)
  + 20 % × reach, where reach = min(1, reads of its public notices that year ÷ households); reads
  are counted by the notice page and by the QR code of the printed board (NoticeReadDay).
- 参与 (take part) = 50 % × min(1, open meetings and deliberation councils held ÷ 4)
  + 50 % × min(1, participations ÷ 40), participations = representatives present at them
  + residents' opinions shown on them + residents' questions on the board's notices.
- 决策 (decide) = meetings that decided something with residents' opinions heard beforehand ÷
  meetings that decided something. Heard: opinions recorded at the meeting, opinions residents
  left on its agenda, or a decision linked to the opinions it heard.
- 监督 (supervise) = the mean of: residents' questions answered within their deadline, 诉求 answered
  within their deadline (both ÷ received), and satisfaction with closed 诉求 (满意 + 基本满意 ÷ rated).
- The index = the mean of the parts the community has.
A fixed number of queries per year, whatever the number of communities."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear

from communities.models import Community
from disclosure.choices import FeedbackStatus
from disclosure.models import Board, Decision, Feedback, MeetingOpinion, NoticeReadDay, OpenMeeting
from disclosure.selectors import timeliness_rates
from disclosure.selectors.cases import case_figures_by_community

__all__ = [
    "MEETINGS_TARGET",
    "PARTICIPATION_TARGET",
    "RightsRow",
    "rights_by_year",
    "rights_history",
    "rights_index",
    "rights_page",
]

COMMUNITIES_PER_PAGE = 50  # the public index's page: its time and size do not grow with the city
MEETINGS_TARGET = 4  # open meetings or deliberation councils a year that count as full marks
PARTICIPATION_TARGET = 40  # participations a year that count as full marks
HUNDRED = Decimal(100)
ONE_DP = Decimal("0.1")


def _pct(value) -> Decimal | None:
    return None if value is None else (Decimal(value) * HUNDRED).quantize(ONE_DP)


def _ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE_DP) if values else None


@dataclass
class RightsRow:
    """One community's year: the records behind each part, and the parts."""

    community: Community
    year: int
    due: int = 0  # disclosures due that year
    on_time: int = 0
    reads: int = 0
    qr_scans: int = 0
    meetings: int = 0
    representatives: int = 0
    opinions: int = 0
    questions: int = 0
    decided: int = 0
    decided_after_hearing: int = 0
    questions_on_time: int = 0
    cases: int = 0
    cases_on_time: int = 0
    cases_rated: int = 0
    cases_satisfied: int = 0
    parts: dict = field(default_factory=dict)

    @property
    def participations(self) -> int:
        return self.representatives + self.opinions + self.questions

    def compute(self) -> "RightsRow":
        households = self.community.households or 0
        timely = _ratio(self.on_time, self.due)
        reach = min(Decimal(1), Decimal(self.reads) / households) if households else Decimal(0)
        know = None if timely is None else Decimal("0.8") * timely + Decimal("0.2") * reach
        take_part = None
        if self.meetings or self.participations:
            take_part = Decimal("0.5") * min(Decimal(1), Decimal(self.meetings) / MEETINGS_TARGET) + Decimal(
                "0.5"
            ) * min(Decimal(1), Decimal(self.participations) / PARTICIPATION_TARGET)
        decide = _ratio(self.decided_after_hearing, self.decided)
        supervise = _mean(
            [
                _pct(_ratio(self.questions_on_time, self.questions)),
                _pct(_ratio(self.cases_on_time, self.cases)),
                _pct(_ratio(self.cases_satisfied, self.cases_rated)),
            ]
        )
        self.parts = {
            "know": _pct(know),
            "take_part": _pct(take_part),
            "decide": _pct(decide),
            "supervise": supervise,
        }
        return self

    @property
    def know(self):
        return self.parts.get("know")

    @property
    def take_part(self):
        return self.parts.get("take_part")

    @property
    def decide(self):
        return self.parts.get("decide")

    @property
    def supervise(self):
        return self.parts.get("supervise")

    @property
    def index(self) -> Decimal | None:
        return _mean(self.parts.values())


def rights_index(year: int, communities=None) -> list[RightsRow]:
    """One RightsRow per community (or per one of `communities`, a page of them), in the
    communities' order. Reads only the given communities' records."""
    return rights_by_year([year], communities)[year]


def rights_by_year(years, communities=None) -> dict[int, list[RightsRow]]:
    """`rights_index` of each of `years`, keyed by year: the records of all the years read at once
    (a fixed number of queries, plus the timeliness of each year)."""
    years = sorted(years)
    only = communities is not None
    communities = list(communities) if only else list(Community.objects.order_by("code"))
    rows = {year: {c.pk: RightsRow(community=c, year=year) for c in communities} for year in years}
    ids = [c.pk for c in communities]

    boards = list(Board.objects.filter(community__in=ids)) if only else None
    for year in years:
        for board, rates in timeliness_rates(year=year, boards=boards).items():
            row = rows[year].get(board.community_id)
            if row is not None:
                row.due, row.on_time = rates["*"].expected, rates["*"].on_time

    reads = (
        NoticeReadDay.objects.filter(
            day__year__gte=years[0], day__year__lte=years[-1], notice__board__community__in=ids
        )
        .annotate(community=F("notice__board__community"), year=ExtractYear("day"))
        .values("community", "year")
        .annotate(reads=Sum("reads"), scans=Sum("qr_scans"))
        .order_by()
    )
    for r in reads:
        if r["year"] in rows:
            row = rows[r["year"]][r["community"]]
            row.reads, row.qr_scans = r["reads"] or 0, r["scans"] or 0

    shown = MeetingOpinion.objects.filter(meeting=OuterRef("pk"), status=FeedbackStatus.PUBLISHED)
    linked = Decision.objects.filter(meeting=OuterRef("pk"), opinions_heard__isnull=False)
    has_decision = Decision.objects.filter(meeting=OuterRef("pk"))
    meetings = (
        OpenMeeting.objects.filter(date__year__gte=years[0], date__year__lte=years[-1], board__community__in=ids)
        .annotate(
            heard=Exists(shown) | Exists(linked) | ~Q(opinions=""),
            decided=Exists(has_decision) | ~Q(decisions=""),
            shown_opinions=Count("resident_opinions", filter=Q(resident_opinions__status=FeedbackStatus.PUBLISHED)),
            community=F("board__community"),
        )
        .values("community", "date", "heard", "decided", "shown_opinions", "resident_reps", "party_member_reps")
    )
    for m in meetings:
        if m["date"].year not in rows:
            continue
        row = rows[m["date"].year][m["community"]]
        row.meetings += 1
        row.representatives += m["resident_reps"] + m["party_member_reps"]
        row.opinions += m["shown_opinions"]
        if m["decided"]:
            row.decided += 1
            row.decided_after_hearing += bool(m["heard"])

    questions = (
        Feedback.objects.filter(
            created_at__year__gte=years[0], created_at__year__lte=years[-1], notice__board__community__in=ids
        )
        .annotate(community=F("notice__board__community"), year=ExtractYear("created_at"))
        .values("community", "year")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("due_on"))),
        )
        .order_by()
    )
    for q in questions:
        if q["year"] in rows:
            row = rows[q["year"]][q["community"]]
            row.questions, row.questions_on_time = q["total"], q["on_time"]

    for (year, community_id), figures in case_figures_by_community(years, communities=ids if only else None).items():
        row = rows[year].get(community_id)
        if row is not None:
            row.cases, row.cases_on_time = figures.total, figures.answered_on_time
            row.cases_rated, row.cases_satisfied = figures.rated, figures.satisfied

    return {year: [row.compute() for row in of_year.values()] for year, of_year in rows.items()}


def rights_page(*, year: int, name: str = "", page=None) -> Page:
    """One page of the communities (by code; `name` narrows them to those whose name holds it),
    as their RightsRows of `year`, each with its `board` (None without one)."""
    communities = Community.objects.order_by("code")
    if name:
        communities = communities.filter(name__icontains=name)
    result = Paginator(communities, COMMUNITIES_PER_PAGE).get_page(page)
    rows = rights_index(year, communities=list(result))
    boards = {b.community_id: b for b in Board.objects.filter(community__in=[row.community for row in rows])}
    for row in rows:
        row.board = boards.get(row.community.pk)
    result.object_list = rows
    return result


def rights_history(community, years) -> list[RightsRow]:
    """The community's index for each of `years` (oldest first)."""
    return [rows[0] for rows in rights_by_year(years, communities=[community]).values()]
