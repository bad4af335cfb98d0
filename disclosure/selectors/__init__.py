"""Reads of the disclosure boards: public lists, internal queues, timeliness and the figures the
dashboard and the annual report use. Query counts do not grow with rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from disclosure.choices import Category, FeedbackStatus, Frequency, Level, MeetingKind, NoticeStatus, Timeliness
from disclosure.models import (
    Attachment,
    Board,
    CatalogItem,
    DisclosureEvent,
    Feedback,
    FirstPublicationDay,
    Notice,
    NoticeRevision,
    OpenMeeting,
)
from disclosure.periods import calendar_for_year, periods_of_year
from jiedao.readonce import read_once

PUBLIC_NOTICE_FIELDS = (
    "id",
    "board_id",
    "category",
    "title",
    "period_start",
    "period_end",
    "published_at",
    "revision",
    "board__slug",
    "board__name",
    "catalog_item__name",
)

# -- public -----------------------------------------------------------------------------------
# Every public read starts from Notice.objects.public() (a file from Attachment.objects.public()),
# so a party-internal notice (an item for a specific group) cannot reach an anonymous visitor.


def public_notices() -> QuerySet[Notice]:
    """Only what is published for the whole public: never drafts, notices under review, withdrawn
    ones or party-internal ones."""
    return (
        Notice.objects.public()
        .select_related("board", "catalog_item")
        .only(*PUBLIC_NOTICE_FIELDS)
        .order_by("-published_at", "-id")
    )


def public_board_notices(*, board: Board) -> QuerySet[Notice]:
    """One board's published notices, newest period first (filters.BoardNoticeFilter narrows them)."""
    return public_notices().filter(board=board).order_by("-period_start", "-published_at", "-id")


def public_search(*, query: str) -> QuerySet[Notice]:
    words = query.split()[:5]
    qs = public_notices()
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs if words else qs.none()


def public_notice_detail(*, slug: str, pk: int) -> Notice:
    return (
        Notice.objects.public()
        .filter(board__slug=slug, pk=pk)
        .select_related("board", "catalog_item")
        .prefetch_related(
            "finance_lines",
            "attachments",
            Prefetch("revisions", queryset=NoticeRevision.objects.order_by("number")),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.filter(status=FeedbackStatus.PUBLISHED)
                .only("id", "notice_id", "body", "answer", "answered_at", "created_at")
                .order_by("created_at"),
                to_attr="public_feedback",
            ),
        )
        .get()
    )


def public_attachment(*, pk: int) -> Attachment:
    """An attachment of a public notice; any other (a draft's, a party-internal notice's) is missing."""
    return Attachment.objects.public().select_related("notice").get(pk=pk)


def published_years(until: int) -> list[int]:
    """The years from the first to the last period with a published notice (no later than
    `until`): the years a disclosure page's picker offers."""
    span = Notice.objects.filter(status=NoticeStatus.PUBLISHED).aggregate(
        first=Min("period_start"), last=Max("period_start")
    )
    if span["first"] is None:
        return []
    return list(range(span["first"].year, min(span["last"].year, until) + 1))


def board_years(board: Board) -> list[int]:
    """The years the board has published notices for, newest first (one indexed MIN/MAX query)."""
    span = (
        public_notices().filter(board=board).order_by().aggregate(first=Min("period_start"), last=Max("period_start"))
    )
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


# -- internal ---------------------------------------------------------------------------------


def notice_list(*, user) -> QuerySet[Notice]:
    return (
        Notice.objects.restrict(user)
        .select_related("board", "catalog_item", "author")
        .defer("body", "search_text", "withdraw_reason")  # a list shows none of the long texts
        .order_by("-updated_at", "-id")
    )


def notice_detail_queryset(*, user) -> QuerySet[Notice]:
    return (
        Notice.objects.restrict(user)
        .select_related("board", "catalog_item", "author")
        .prefetch_related("finance_lines", "attachments", "revisions__created_by", "steps__actor")
    )


def feedback_queue(*, status: str = "") -> QuerySet[Feedback]:
    qs = Feedback.objects.select_related("notice__board", "answered_by").order_by("status", "due_on", "id")
    return qs.filter(status=status) if status else qs


def meeting_list(*, user) -> QuerySet[OpenMeeting]:
    return OpenMeeting.objects.restrict(user).select_related("board", "notice")


# -- timeliness -------------------------------------------------------------------------------


@dataclass
class Cell:
    item: CatalogItem
    board: Board
    period_start: date
    period_end: date
    deadline: date
    published_on: date | None
    status: str

    @property
    def expected(self) -> bool:
        return self.status != Timeliness.DUE

    @property
    def status_label(self) -> str:
        return Timeliness(self.status).label


def _status(published_on, deadline, as_of) -> str:
    if published_on is not None:
        return Timeliness.ON_TIME if published_on <= deadline else Timeliness.LATE
    return Timeliness.MISSING if deadline < as_of else Timeliness.DUE


@read_once
def proactive_items() -> list[CatalogItem]:
    """The active catalogue items boards must publish unasked (主动公开): what timeliness is judged on."""
    return list(CatalogItem.objects.filter(active=True, mode="proactive"))


@read_once
def all_boards() -> list[Board]:
    """Every board with its community, in the boards' order."""
    return list(Board.objects.select_related("community"))


def timeliness_cells(*, year: int, as_of: date | None = None, boards=None) -> list[Cell]:
    """Every catalogue item × board × period of `year` whose period has ended by `as_of`, with its
    deadline in working days and whether it was published on time, late or not at all; for every
    board or only `boards`. Items due within N working days of an event count once per event
    recorded in the ledger (DisclosureEvent: an event with no published notice past its due date
    is missing) and once per published event notice not linked to a recorded event
    (`_event_cells`). Six queries."""
    as_of = as_of or timezone.localdate()
    items = proactive_items()
    only = boards is not None
    boards = list(boards) if only else all_boards()
    published = Notice.objects.filter(status=NoticeStatus.PUBLISHED, period_start__year=year)
    if only:
        published = published.filter(board__in=boards)
    first: dict[tuple, date] = {}
    for item_id, board_id, start, published_on in published.values_list(
        "catalog_item_id", "board_id", "period_start", TruncDate("published_at")
    ):
        key = (item_id, board_id, start)
        if key not in first or published_on < first[key]:
            first[key] = published_on
    calendar = calendar_for_year(year)
    cells = []
    for item, period, deadline in _item_periods(items, year, as_of, calendar):
        for board in boards:
            if board.level != item.level:
                continue
            published_on = first.get((item.pk, board.pk, period.start))
            cells.append(
                Cell(
                    item,
                    board,
                    period.start,
                    period.end,
                    deadline,
                    published_on,
                    _status(published_on, deadline, as_of),
                )
            )
    return cells + _event_cells(year=year, as_of=as_of, items=items, boards=boards, calendar=calendar, only=only)


def _item_periods(items, year: int, as_of: date, calendar):
    """(item, period, deadline) of every periodic item's period of `year` that has ended by `as_of`."""
    for item in items:
        if item.frequency == Frequency.EVENT:
            continue
        for period in periods_of_year(item.frequency, year):
            if period.end < as_of:
                yield item, period, calendar.add(period.end, item.deadline_workdays)


def _event_cells(*, year: int, as_of: date, items, boards, calendar, only: bool = False) -> list[Cell]:
    """The cells of items due within N working days of an event: one per event in the ledger, on
    time if its notice was published by the event's due date and 未公开 (missing) when it is past
    due with no published notice, and one per published event notice linked to no recorded event.
    With `only`, `boards` are the only boards read; otherwise they are every board, or None: the
    boards these events are on are read (one query, when there are any)."""
    events = DisclosureEvent.objects.filter(occurred_on__year=year)
    unlinked = Notice.objects.filter(status=NoticeStatus.PUBLISHED, period_start__year=year, event_date__isnull=False)
    if only:
        events = events.filter(community__in=[b.community_id for b in boards if b.community_id is not None])
        unlinked = unlinked.filter(board__in=boards)
    ledger = list(
        events.annotate(published_on=TruncDate("notice__published_at"))
        .values_list(
            "catalog_item_id", "community_id", "occurred_on", "due_on", "notice_id", "notice__status", "published_on"
        )
        .order_by()
    )
    linked = {row[4] for row in ledger if row[4] is not None}
    unlinked = list(
        unlinked.exclude(pk__in=linked)
        .values_list("catalog_item_id", "board_id", "period_start", "event_date", TruncDate("published_at"))
        .order_by()
    )
    if boards is None:
        communities, board_ids = {row[1] for row in ledger}, {row[1] for row in unlinked}
        boards = (
            list(Board.objects.filter(Q(community__in=communities) | Q(pk__in=board_ids)).only("id", "community_id"))
            if communities or board_ids
            else []
        )
    items_by_id = {i.pk: i for i in items}
    boards_by_id = {b.pk: b for b in boards}
    boards_by_community = {b.community_id: b for b in boards if b.community_id is not None}
    cells = []
    for item_id, community_id, occurred_on, due_on, _notice_id, notice_status, published_on in ledger:
        item, board = items_by_id.get(item_id), boards_by_community.get(community_id)
        if item is None or board is None:
            continue
        published_on = published_on if notice_status == NoticeStatus.PUBLISHED else None
        cells.append(
            Cell(item, board, occurred_on, occurred_on, due_on, published_on, _status(published_on, due_on, as_of))
        )
    for item_id, board_id, start, event_date, published_on in unlinked:
        item = items_by_id.get(item_id)
        if item is None or item.frequency != Frequency.EVENT:
            continue
        deadline = calendar.add(event_date, item.deadline_workdays)
        cells.append(
            Cell(
                item,
                boards_by_id[board_id],
                start,
                start,
                deadline,
                published_on,
                _status(published_on, deadline, as_of),
            )
        )
    return cells


@dataclass
class Rate:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def add(self, cell: Cell) -> None:
        if not cell.expected:
            return
        self.expected += 1
        if cell.status == Timeliness.ON_TIME:
            self.on_time += 1
        elif cell.status == Timeliness.LATE:
            self.late += 1
        else:
            self.missing += 1

    def merge(self, other: "Rate") -> None:
        self.expected += other.expected
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing

    @property
    def rate(self) -> Decimal | None:
        return (Decimal(self.on_time) / Decimal(self.expected)).quantize(Decimal("0.0001")) if self.expected else None


@dataclass
class TotalRate(Rate):
    """The sub-district's total, with its part of each category: `by_category[category]` (a
    zero Rate for a category nothing is expected of)."""

    by_category: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate), compare=False, repr=False)

    def count(self, category: str, *, on_time: int = 0, late: int = 0, missing: int = 0) -> None:
        part = Rate(expected=on_time + late + missing, on_time=on_time, late=late, missing=missing)
        self.merge(part)
        self.by_category[category].merge(part)

    def add(self, cell: Cell) -> None:
        super().add(cell)
        self.by_category[cell.item.category].add(cell)


@dataclass
class TimelinessTable:
    categories: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)  # {"board", "rates": [Rate per category], "total"}
    by_category: list[Rate] = field(default_factory=list)
    total: Rate = field(default_factory=Rate)


def timeliness_problems(*, board: Board, year: int, as_of: date | None = None) -> list[Cell]:
    """One board's expected disclosures of `year` that were late or are missing, by deadline."""
    return sorted(
        (
            c
            for c in timeliness_cells(year=year, as_of=as_of, boards=[board])
            if c.status in (Timeliness.LATE, Timeliness.MISSING)
        ),
        key=lambda c: (c.deadline, c.item.name),
    )


def timeliness_table(*, year: int, as_of: date | None = None) -> TimelinessTable:
    """公开及时率 per board (community) and category, and for the sub-district."""
    categories = list(Category.choices)
    table = TimelinessTable(categories=categories)
    by_category: dict[str, Rate] = defaultdict(Rate)
    for board, rates in timeliness_rates(year=year, as_of=as_of).items():
        table.rows.append(_table_row(board, rates, categories))
        for category, _label in categories:
            by_category[category].merge(rates[category])
        table.total.merge(rates["*"])
    table.by_category = [by_category[c] for c, _label in categories]
    return table


TIMELINESS_BOARDS_PER_PAGE = 50


def timeliness_page(
    *, year: int, name: str = "", page=None, total: TotalRate | None = None, as_of: date | None = None
) -> tuple[Page, TimelinessTable]:
    """The staff 公开及时率 page's table: one page of the boards (in their order; `name` narrows
    them to those whose name holds it), and a TimelinessTable with a row for each of the page's
    boards, counted by `timeliness_rates` for those boards only (zero where nothing is expected of
    a board), and whose footer (`by_category`, `total`) is the whole sub-district's whatever the
    page or the name: `total`, a `timeliness_totals` TotalRate of `year` (computed here when not
    given), never the boards added up. A fixed number of queries at any number of boards."""
    boards = Board.objects.select_related("community").order_by("order", "slug")
    if name:
        boards = boards.filter(name__icontains=name)
    result = Paginator(boards, TIMELINESS_BOARDS_PER_PAGE).get_page(page)
    categories = list(Category.choices)
    if total is None:
        total = timeliness_totals(years=[year], as_of=as_of)[year][0]
    table = TimelinessTable(
        categories=categories, by_category=[total.by_category[c] for c, _label in categories], total=total
    )
    boards = list(result)
    rates = timeliness_rates(year=year, as_of=as_of, boards=boards)
    for board in boards:
        table.rows.append(_table_row(board, rates.get(board) or defaultdict(Rate), categories))
    return result, table


def _table_row(board: Board, rates: dict[str, Rate], categories) -> dict:
    """A TimelinessTable row: `board`, its rate per category in the table's order, its total."""
    return {"board": board, "rates": [rates[c] for c, _label in categories], "total": rates["*"]}


@read_once  # the annual report reads the year's rates in two chapters
def timeliness_rates(*, year: int, as_of: date | None = None, boards=None) -> dict[Board, dict[str, Rate]]:
    """The rates `timeliness_cells` gives, counted without a Cell per item × board × period (162,000
    at 3,000 communities): board → {category: Rate, "*": the board's total}, for every board with
    an expected disclosure (in the boards' order) or for `boards` only. Every board owes each
    period past its deadline (missing) until its first publication for that period is found,
    on time or late; one published before its deadline is expected, not yet due otherwise."""
    as_of = as_of or timezone.localdate()
    only = boards is not None
    boards = list(boards) if only else all_boards()
    items = proactive_items()
    calendar = calendar_for_year(year)
    deadlines, owed, levels = {}, defaultdict(lambda: defaultdict(int)), set()
    for item, period, deadline in _item_periods(items, year, as_of, calendar):
        deadlines[(item.pk, period.start)] = (item, deadline)
        levels.add(item.level)  # its boards have a cell, expected or not yet due
        if deadline < as_of:
            owed[item.level][item.category] += 1
    rates: dict[Board, dict[str, Rate]] = {}
    for board in boards:
        if board.level in levels:
            rates[board] = defaultdict(Rate)
            for category, n in owed[board.level].items():
                rates[board][category] = Rate(expected=n, missing=n)
                rates[board]["*"].merge(rates[board][category])

    by_id = {board.pk: board for board in boards}
    firsts = Notice.objects.filter(status=NoticeStatus.PUBLISHED, period_start__year=year)
    if only:
        firsts = firsts.filter(board__in=boards)
    firsts = firsts.values_list("period_start", "catalog_item_id", "board_id").annotate(
        # read from the index alone: notice_first_publication for every board, in the order grouped
        # by; notice_board_first_publication for a page of boards
        first_on=Min(TruncDate("published_at"))
    )
    for start, item_id, board_id, first_on in firsts.order_by():
        item, deadline = deadlines.get((item_id, start), (None, None))
        board = by_id.get(board_id)
        if item is None or board is None or board.level != item.level:
            continue
        for rate in (rates[board][item.category], rates[board]["*"]):
            if deadline < as_of:
                rate.missing -= 1  # owed, and found
            else:
                rate.expected += 1  # published before its deadline: expected early
            if first_on <= deadline:
                rate.on_time += 1
            else:
                rate.late += 1
    for cell in _event_cells(year=year, as_of=as_of, items=items, boards=boards, calendar=calendar, only=only):
        board_rates = rates.setdefault(cell.board, defaultdict(Rate))
        board_rates[cell.item.category].add(cell)
        board_rates["*"].add(cell)
    order = {board: n for n, board in enumerate(boards)}
    return dict(sorted(rates.items(), key=lambda pair: order[pair[0]]))


def timeliness_totals(*, years, as_of: date | None = None) -> dict[int, tuple[TotalRate, bool]]:
    """For each of `years`: `timeliness_table(...).total` (a TotalRate, whose `by_category` holds
    `timeliness_table(...).by_category` by category value: each item has one category, so its
    cells count there as they count in the total), and whether any expected disclosure was
    published, without a Cell per item × board × period (162,000 at 3,000 communities, two
    seconds of the dashboard's first view): the boards' first publication of each item's period is
    counted per day (FirstPublicationDay, kept as notices change), and each period's deadline
    decides on time or late for all of those boards at once. The catalogue, the counts per day
    and the boards' number are read once for all the years (reading 3,000 boards cost 15 ms); the
    event cells read the boards they are on."""
    as_of = as_of or timezone.localdate()
    items = proactive_items()
    counts = Board.objects.aggregate(
        subdistrict=Count("pk", filter=Q(community__isnull=True)),
        community=Count("pk", filter=Q(community__isnull=False)),
    )
    boards_at = {Level.SUBDISTRICT: counts["subdistrict"], Level.COMMUNITY: counts["community"]}
    events = any(item.frequency == Frequency.EVENT for item in items)
    totals = {}
    published = _first_publications(years)
    for year in years:
        calendar = calendar_for_year(year)
        total, published_any = TotalRate(), False
        for item, period, deadline in _item_periods(items, year, as_of, calendar):
            firsts = published.get((item.pk, period.start, item.level), [])
            on_time = sum(n for first_on, n in firsts if first_on <= deadline)
            late = sum(n for first_on, n in firsts if first_on > deadline)
            missing = boards_at[item.level] - on_time - late if deadline < as_of else 0
            total.count(item.category, on_time=on_time, late=late, missing=missing)
            published_any |= bool(on_time or late)
        if events:
            for cell in _event_cells(year=year, as_of=as_of, items=items, boards=None, calendar=calendar):
                total.add(cell)
                published_any |= cell.published_on is not None
        totals[year] = (total, published_any)
    return totals


def _first_publications(years) -> dict[tuple, list[tuple[date, int]]]:
    """(item, period start, board level) → [(day of a board's first publication, boards)]: the
    first published notice of each board for each item's period of `years`, counted per day, as
    FirstPublicationDay keeps them (about 800 rows a year at 3,000 communities). One query."""
    published: dict[tuple, list[tuple[date, int]]] = defaultdict(list)
    rows = FirstPublicationDay.objects.filter(period_start__year__gte=min(years), period_start__year__lte=max(years))
    rows = rows.order_by()  # the model's ordering would join and sort by the catalogue's names
    for item_id, start, level, day, boards in rows.values_list(
        "catalog_item_id", "period_start", "level", "day", "boards"
    ):
        published[(item_id, start, level)].append((day, boards))
    return published


# -- dashboard and annual report ----------------------------------------------------------------


def _feedback_figures(year: int) -> dict:
    qs = Feedback.objects.filter(created_at__year=year)
    return qs.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        answered_on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("due_on"))),
    )


def dashboard_figures(*, year: int) -> dict:
    return dashboard_figures_by_year(years=[year])[year]


def dashboard_figures_by_year(*, years) -> dict[int, dict]:
    """Plain figures for the dashboard, for each of `years`: what it shows, the timeliness. One
    query for all the years, however many notices there are (FirstPublicationDay)."""
    totals = timeliness_totals(years=years)
    figures = {}
    for year in years:
        total, published_any = totals[year]
        # A year with no notice published at all is a year the portal was not used for: a blank
        # ("—"), not 0 % on time (issue 13 finding 8).
        figures[year] = {"disclosure_timeliness": total.rate if published_any else None}
    return figures


def annual_report_section(*, year: int) -> dict:
    """Chapter 三 (基层民主政治建设): open meetings, disclosure timeliness by category and by
    community, residents' questions, corrections and withdrawals."""
    table = timeliness_table(year=year)
    held = OpenMeeting.objects.filter(date__year=year).order_by("date", "id")
    held = list(held.values("kind", "date", "topic", "party_member_reps", "resident_reps"))
    meetings = [m for m in held if m["kind"] == MeetingKind.WORKING_COMMITTEE]
    councils = sum(m["kind"] == MeetingKind.COUNCIL for m in held)
    feedback = _feedback_figures(year)
    corrections = NoticeRevision.objects.filter(number__gt=1, created_at__year=year).count()
    withdrawn, published = (
        Q(withdrawn_at__year=year),
        Q(published_at__year=year, status__in=[NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN]),
    )
    notices = Notice.objects.filter(withdrawn | published).aggregate(
        withdrawals=Count("pk", filter=withdrawn), published=Count("pk", filter=published)
    )

    def rate_dict(label: str, rate: Rate) -> dict:
        return {
            "label": label,
            "expected": rate.expected,
            "on_time": rate.on_time,
            "late": rate.late,
            "missing": rate.missing,
            "rate": rate.rate,
        }

    return {
        "year": year,
        "open_meetings": {"count": len(meetings), "list": meetings},
        "councils": councils,
        "notices_published": notices["published"],
        "timeliness": rate_dict("", table.total),
        "timeliness_by_category": [
            rate_dict(str(label), rate)
            for (_value, label), rate in zip(table.categories, table.by_category, strict=True)
        ],
        "timeliness_by_community": [
            rate_dict(row["board"].name, row["total"]) for row in table.rows if row["board"].community_id
        ],
        "questions": {
            "received": feedback["received"],
            "answered": feedback["answered"],
            "answered_on_time": feedback["answered_on_time"],
        },
        "corrections": corrections,
        "withdrawals": notices["withdrawals"],
    }


def has_published_notices(board: Board) -> bool:
    return Notice.objects.public().filter(board=board).exists()


from disclosure.selectors.cases import *  # noqa: E402, F403 — the case ledger's reads, names in cases.__all__
from disclosure.selectors.todo import todo_items  # noqa: E402, F401 — 我的待办 (jiedao/todo)
