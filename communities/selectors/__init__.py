"""Reads of communities and their figures. Query counts do not grow with rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, Min, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from communities.choices import MonthlyAction, MonthlyCell, MonthlyStatus
from communities.models import (
    Cadre,
    Community,
    CommunityYear,
    MonthlyTally,
    MonthlyUpdate,
    MonthlyUpdateEvent,
    MonthlyUpdatePhoto,
    PartyMember,
)
from communities.periods import due_months, is_due, local_today, month_label, month_start, quarter_label


def public_community_list() -> QuerySet[Community]:
    """What anyone may know about the communities: names, type, size."""
    return Community.objects.only("code", "name", "kind", "area_km2", "households", "population")


def community_list(*, user) -> QuerySet[Community]:
    return Community.objects.restrict(user).annotate(member_count=Count("party_members"))


def cadres_of(community: Community) -> QuerySet[Cadre]:
    return community.cadres.order_by("term_start", "name")


def party_members(*, user, community: Community | None = None) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.restrict(user).select_related("community", "branch")
    return qs.filter(community=community) if community is not None else qs


def change_ratio(current, previous) -> Decimal | None:
    """Year-on-year change as a fraction (0.608 for +60.8 %); None when there is no base."""
    if current is None or previous in (None, 0):
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous)


@dataclass(frozen=True)
class YearRow:
    """One year of a community's indicators beside its change from the year before."""

    record: CommunityYear
    income_change: Decimal | None
    per_capita_change: Decimal | None
    member_change: Decimal | None


def indicator_history(community: Community) -> list[YearRow]:
    rows, previous = [], None
    for record in community.years.order_by("year"):
        is_next_year = previous is not None and previous.year == record.year - 1
        rows.append(
            YearRow(
                record=record,
                income_change=change_ratio(record.collective_income, previous.collective_income)
                if is_next_year
                else None,
                per_capita_change=change_ratio(record.per_capita_income, previous.per_capita_income)
                if is_next_year
                else None,
                member_change=change_ratio(record.party_member_count, previous.party_member_count)
                if is_next_year
                else None,
            )
        )
        previous = record
    return list(reversed(rows))


def community_detail_queryset(*, user) -> QuerySet[Community]:
    return (
        Community.objects.restrict(user)
        .annotate(member_count=Count("party_members"))
        .prefetch_related(Prefetch("cadres", queryset=Cadre.objects.order_by("term_start", "name")))
    )


# -- monthly updates (月度工作报告) -------------------------------------------------------------
# The staff overview (year grid, overdue list), a community's updates and yearly roll-ups, the
# 三会一课 compliance, and the dashboard and annual-report figures. Each function reads the
# communities once and the year's updates once, whatever their number.

MONTHLY_MEETINGS_MONTHLY = (
    ("branch_committee_meetings", gettext_noop("%(when)s: no branch committee meeting held")),
    ("group_meetings", gettext_noop("%(when)s: no party group meeting held")),
)
# 主题党日 is monthly too but not one of 三会一课: judged and counted on its own.
MONTHLY_THEME_DAY = ("theme_days", gettext_noop("%(when)s: no themed party day held"))
MONTHLY_MEETINGS_QUARTERLY = (
    ("general_meetings", gettext_noop("%(when)s: no general party member meeting held")),
    ("party_lectures", gettext_noop("%(when)s: no party lecture given")),
)
MONTHLY_COUNTED_FIELDS = (
    "collective_income",
    "activity_count",
    "participant_count",
    "new_members",
    "letters_visits",
    "volunteer_hours",
    "branch_committee_meetings",
    "general_meetings",
    "group_meetings",
    "party_lectures",
    "theme_days",
)
# The report lists a community's first few misses (a community that filed nothing has 44 a year, a page
# of its own in the table); the portal's community page lists them all.
REPORT_MISSES_LISTED = 6


FILED_STATUSES = (MonthlyStatus.SUBMITTED, MonthlyStatus.RETURNED, MonthlyStatus.ACCEPTED)


@dataclass
class Compliance:
    """三会一课 for one community and year, from its accepted updates: every due month needs a
    支委会 and a 党小组会; every quarter whose three months are due needs a 党员大会 and a 党课.
    A due month without an accepted update counts as held nothing. 主题党日 (monthly) is not one
    of 三会一课: `theme_required`/`theme_met` count it apart (its misses are listed all the same)."""

    year: int
    required: int = 0
    met: int = 0
    misses: list[str] = field(default_factory=list)
    theme_required: int = 0
    theme_met: int = 0
    pending_months: list[str] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return (Decimal(self.met) / Decimal(self.required)).quantize(Decimal("0.0001")) if self.required else None

    @property
    def missed(self) -> int:
        return self.required - self.met


def compute_compliance(*, year: int, accepted: dict[int, dict], due: list[int], pending=()) -> Compliance:
    """`accepted` maps a month (1–12) to that month's accepted figures (a dict or an object with
    the meeting counts); `due` lists the months whose deadline has passed. A month in `pending`
    (handed in, not yet reviewed) is neither held nor missed: its items, and those of its quarter,
    are left out and the month is named in `pending_months` instead (not reviewed is not "not held")."""

    def count(month: int, name: str) -> int:
        figures = accepted.get(month)
        if figures is None:
            return 0
        return (figures.get(name) if isinstance(figures, dict) else getattr(figures, name, 0)) or 0

    result, due, pending = Compliance(year=year), set(due), set(pending) & set(due)
    misses = _miss_texts(year, get_language())
    result.pending_months = [
        _("%(when)s report awaiting review") % {"when": month_label(date(year, m, 1))} for m in sorted(pending)
    ]
    for quarter in range(1, 5):
        months = range(quarter * 3 - 2, quarter * 3 + 1)
        for month in months:
            if month not in due or month in pending:
                continue
            for name, _message in MONTHLY_MEETINGS_MONTHLY:
                result.required += 1
                if count(month, name) > 0:
                    result.met += 1
                else:
                    result.misses.append(misses[(name, month)])
            name, _message = MONTHLY_THEME_DAY
            result.theme_required += 1
            if count(month, name) > 0:
                result.theme_met += 1
            else:
                result.misses.append(misses[(name, month)])
        if all(month in due for month in months) and not pending.intersection(months):
            for name, _message in MONTHLY_MEETINGS_QUARTERLY:
                result.required += 1
                if sum(count(month, name) for month in months) > 0:
                    result.met += 1
                else:
                    result.misses.append(misses[(name, quarter)])
    return result


@lru_cache(maxsize=64)
def _miss_texts(year: int, language: str) -> dict[tuple[str, int], str]:
    """Every miss `compute_compliance` can name in `year`, worded once in `language` (the active
    one): (field, month) for the monthly meetings and the themed day, (field, quarter) for the
    quarterly ones. A city's report names tens of thousands of misses: 44 for a community that
    filed nothing."""
    texts = {}
    for month in range(1, 13):
        when = month_label(date(year, month, 1))
        for name, message in (*MONTHLY_MEETINGS_MONTHLY, MONTHLY_THEME_DAY):
            texts[(name, month)] = _(message) % {"when": when}
    for quarter in range(1, 5):
        when = quarter_label(year, quarter)
        for name, message in MONTHLY_MEETINGS_QUARTERLY:
            texts[(name, quarter)] = _(message) % {"when": when}
    return texts


def monthly_cell_state(status: str | None, period: date, today: date) -> str:
    """What the overview shows: a handed-in update its status; a missing update or a draft
    past its deadline 逾期; otherwise 未填报 or 草稿."""
    if status in FILED_STATUSES:
        return status
    if is_due(period, today):
        return MonthlyCell.OVERDUE
    return status or MonthlyCell.MISSING


@dataclass
class GridCell:
    period: date
    state: str
    label: str
    update_id: int | None = None
    is_late: bool = False
    future: bool = False


@dataclass
class GridRow:
    community: Community
    cells: list[GridCell]
    compliance: Compliance

    @property
    def states(self) -> set[str]:
        return {cell.state for cell in self.cells if not cell.future}


def _year_updates(year: int, community_ids=None):
    qs = MonthlyUpdate.objects.filter(period__year=year)
    if community_ids is not None:
        qs = qs.filter(community_id__in=community_ids)
    return qs.only("id", "community_id", "period", "status", "is_late", "first_submitted_at", *MONTHLY_COUNTED_FIELDS)


def _overview_communities(user, communities: QuerySet[Community] | None) -> list[Community]:
    """The communities of the overview (already filtered by the caller, or all), in the user's scope."""
    qs = Community.objects.all() if communities is None else communities
    return list(qs.restrict(user).only("id", "code", "name", "kind").order_by("code"))


def monthly_grid(
    *, user, year: int, today: date | None = None, communities: QuerySet[Community] | None = None, state: str = ""
):
    """The overview: one row per visible community (of `communities` when given), twelve cells,
    and the year's compliance. `state` keeps the rows having at least one cell in that state."""
    today = today or local_today()
    communities = _overview_communities(user, communities)
    by_key = {(u.community_id, u.period.month): u for u in _year_updates(year, [c.pk for c in communities])}
    due, current = due_months(year, today), month_start(today)
    labels = {state: str(label) for state, label in MonthlyCell.choices}  # translated once, not per cell
    rows = []
    for community in communities:
        cells, accepted = [], {}
        for month in range(1, 13):
            period = date(year, month, 1)
            update = by_key.get((community.pk, month))
            cell_state = monthly_cell_state(update.status if update else None, period, today)
            cells.append(
                GridCell(
                    period=period,
                    state=cell_state,
                    label=labels[cell_state],
                    update_id=update.pk if update else None,
                    is_late=bool(update and update.is_late),
                    future=period > current,
                )
            )
            if update is not None and update.status == MonthlyStatus.ACCEPTED:
                accepted[month] = update
        row = GridRow(community, cells, compute_compliance(year=year, accepted=accepted, due=due))
        if not state or state in row.states:
            rows.append(row)
    return rows


def monthly_overdue(rows: list[GridRow]) -> list[GridCell | tuple]:
    """(community, cell) for every overdue cell of the grid, oldest first."""
    found = [(row.community, cell) for row in rows for cell in row.cells if cell.state == MonthlyCell.OVERDUE]
    return sorted(found, key=lambda pair: (pair[1].period, pair[0].code))


def monthly_year_choices(today: date | None = None) -> list[int]:
    today = today or local_today()
    first = MonthlyUpdate.objects.aggregate(first=Min("period"))["first"]
    start = min(first.year if first else today.year, today.year)
    return list(range(today.year, start - 1, -1))


def monthly_update_queryset() -> QuerySet[MonthlyUpdate]:
    """Updates with what their pages show; callers scope it with `.restrict(user)`."""
    return MonthlyUpdate.objects.select_related("community", "created_by", "updated_by", "submitted_by", "reviewed_by")


def monthly_update_events(update: MonthlyUpdate) -> QuerySet[MonthlyUpdateEvent]:
    return update.events.select_related("actor").order_by("created_at", "id")


def monthly_update_photos(update: MonthlyUpdate) -> QuerySet[MonthlyUpdatePhoto]:
    return update.photos.order_by("created_at", "id")


def monthly_latest_return(update: MonthlyUpdate) -> MonthlyUpdateEvent | None:
    return update.events.filter(action=MonthlyAction.RETURN).select_related("actor").order_by("-created_at").first()


@dataclass
class YearRollup:
    year: int
    filed: int
    accepted: int
    late: int
    totals: dict  # field name → sum over the year's accepted updates
    compliance: Compliance


def monthly_community_summary(*, community: Community, today: date | None = None):
    """A community's updates (newest first) and, per year, the roll-up of the accepted figures
    and the 三会一课 compliance. Two queries."""
    today = today or local_today()
    updates = list(community.monthly_updates.order_by("-period"))
    years = sorted({u.period.year for u in updates}, reverse=True)
    rollups = []
    for year in years:
        of_year = [u for u in updates if u.period.year == year]
        accepted = {u.period.month: u for u in of_year if u.status == MonthlyStatus.ACCEPTED}
        totals = {name: sum((getattr(u, name) for u in accepted.values()), 0) for name in MONTHLY_COUNTED_FIELDS}
        rollups.append(
            YearRollup(
                year=year,
                filed=sum(1 for u in of_year if u.status in FILED_STATUSES),
                accepted=len(accepted),
                late=sum(1 for u in of_year if u.is_late),
                totals=totals,
                compliance=compute_compliance(year=year, accepted=accepted, due=due_months(year, today)),
            )
        )
    return updates, rollups


def monthly_dashboard_figures(*, year: int, today: date | None = None) -> dict:
    """For the dashboard: the share of due community-months handed in (submitted or accepted),
    None when nothing is due yet or when the portal holds no update of that year (it was not in
    use: a blank, not 0 %), and how many are overdue (no update, or a draft, past the deadline).
    Two queries."""
    return monthly_dashboard_figures_by_year(years=[year], today=today)[year]


def monthly_dashboard_figures_by_year(*, years, today: date | None = None) -> dict[int, dict]:
    """`monthly_dashboard_figures` of several years, keyed by year: the same two queries."""
    today = today or local_today()
    due = {year: due_months(year, today) for year in years}
    communities = Community.objects.count()
    counts: dict[int, dict] = {year: defaultdict(int) for year in years}
    # The months' counts by status as MonthlyTally keeps them (twelve rows a year), the due months kept.
    for tally in MonthlyTally.objects.filter(period__gte=date(min(years), 1, 1), period__lte=date(max(years), 12, 31)):
        if tally.period.year in counts and tally.period.month in due[tally.period.year]:
            for status in MonthlyStatus.values:
                counts[tally.period.year][status] += tally.count(status)
    figures = {}
    for year in years:
        expected, found = communities * len(due[year]), counts[year]
        if due[year] and not any(found.values()):  # the portal holds no update of that year: "—", not 0 %
            figures[year] = {"monthly_submission_rate": None, "monthly_overdue": None}
            continue
        handed_in = found.get(MonthlyStatus.SUBMITTED, 0) + found.get(MonthlyStatus.ACCEPTED, 0)
        filed = handed_in + found.get(MonthlyStatus.RETURNED, 0)
        rate = (Decimal(handed_in) / Decimal(expected)).quantize(Decimal("0.0001")) if expected else None
        figures[year] = {"monthly_submission_rate": rate, "monthly_overdue": expected - filed}
    return figures


def monthly_report_section(*, year: int, today: date | None = None) -> dict:
    """The annual report's （三）组织生活与月度工作报告: per community the updates filed, accepted
    and late, the 三会一课 compliance and its misses; sub-district totals of the accepted figures.
    Plain data; two queries."""
    today = today or local_today()
    communities = list(Community.objects.only("id", "code", "name").order_by("code"))
    by_community: dict[int, list] = {}
    for update in _year_updates(year):
        by_community.setdefault(update.community_id, []).append(update)
    due = due_months(year, today)
    rows, totals, awaiting_totals = (
        [],
        dict.fromkeys(MONTHLY_COUNTED_FIELDS, 0),
        dict.fromkeys(MONTHLY_COUNTED_FIELDS, 0),
    )
    for community in communities:
        updates = by_community.get(community.pk, [])
        accepted = {u.period.month: u for u in updates if u.status == MonthlyStatus.ACCEPTED}
        awaiting = [u for u in updates if u.status in FILED_STATUSES and u.status != MonthlyStatus.ACCEPTED]
        for update in accepted.values():
            for name in MONTHLY_COUNTED_FIELDS:
                totals[name] += getattr(update, name)
        for update in awaiting:
            for name in MONTHLY_COUNTED_FIELDS:
                awaiting_totals[name] += getattr(update, name)
        compliance = compute_compliance(
            year=year, accepted=accepted, due=due, pending=[u.period.month for u in awaiting]
        )
        rows.append(
            {
                "code": community.code,
                "name": community.name,
                "due": len(due),
                "filed": sum(1 for u in updates if u.status in FILED_STATUSES),
                "accepted": len(accepted),
                "late": sum(1 for u in updates if u.is_late),
                "compliance_required": compliance.required,
                "compliance_met": compliance.met,
                "compliance_rate": compliance.rate,
                "theme_required": compliance.theme_required,
                "theme_met": compliance.theme_met,
                "misses": list(compliance.misses),
                "misses_listed": compliance.misses[:REPORT_MISSES_LISTED],
                "pending": list(compliance.pending_months),
            }
        )
    required = sum(r["compliance_required"] for r in rows)
    met = sum(r["compliance_met"] for r in rows)
    labels = {name: str(MonthlyUpdate._meta.get_field(name).verbose_name) for name in MONTHLY_COUNTED_FIELDS}
    return {
        "year": year,
        "communities": rows,
        "due": len(due) * len(rows),
        "filed": sum(r["filed"] for r in rows),
        "accepted": sum(r["accepted"] for r in rows),
        "late": sum(r["late"] for r in rows),
        "compliance_required": required,
        "compliance_met": met,
        "compliance_rate": (Decimal(met) / Decimal(required)).quantize(Decimal("0.0001")) if required else None,
        "misses": required - met,  # 三会一课 only; 主题党日 apart
        "misses_listed": REPORT_MISSES_LISTED,
        "misses_cut": any(len(r["misses"]) > REPORT_MISSES_LISTED for r in rows),
        "theme_required": sum(r["theme_required"] for r in rows),
        "theme_met": sum(r["theme_met"] for r in rows),
        "totals": totals,
        "pending": sum(len(r["pending"]) for r in rows),
        # beside each total, what the reports still awaiting review hold: the difference from the
        # year's own figures (collective income, letters and visits) is named, not hidden
        "figures": [
            {"name": name, "label": labels[name], "value": totals[name], "awaiting": awaiting_totals[name]}
            for name in MONTHLY_COUNTED_FIELDS
        ],
    }


MONTHLY_EXPORT_HEADERS = (
    ("community_code", gettext_noop("Community code")),
    ("community", gettext_noop("Community")),
    ("month", gettext_noop("Month")),
    ("state", gettext_noop("Status")),
    ("late", gettext_noop("Filed late")),
    ("first_submitted_at", gettext_noop("First submitted")),
)


def monthly_export_rows(*, user, year: int, today: date | None = None, communities=None) -> tuple[list, list]:
    """The year as spreadsheet headers and rows: one row per visible community-month (of
    `communities` when given, as the overview's filters keep them), with its status and the
    reported figures and 三会一课 counts. Two queries."""
    today = today or local_today()
    communities = _overview_communities(user, communities)
    updates = {(u.community_id, u.period.month): u for u in _year_updates(year, [c.pk for c in communities])}
    labels = dict(MonthlyCell.choices)
    fields = [MonthlyUpdate._meta.get_field(name) for name in MONTHLY_COUNTED_FIELDS]
    headers = [_(label) for _key, label in MONTHLY_EXPORT_HEADERS] + [str(f.verbose_name) for f in fields]
    yes, no = _("yes"), _("no")
    rows = []
    for community in communities:
        for month in range(1, 13):
            period = date(year, month, 1)
            update = updates.get((community.pk, month))
            state = monthly_cell_state(update.status if update else None, period, today)
            first = update.first_submitted_at if update else None
            row = [
                community.code,
                community.name,
                month_label(period),
                str(labels[state]),
                (yes if update.is_late else no) if update else "",
                timezone.localtime(first).strftime("%Y-%m-%d %H:%M") if first else "",
            ]
            rows.append(row + [getattr(update, f.name) if update else "" for f in fields])
    return headers, rows


from communities.selectors.membership import (  # noqa: E402, F401 — issue 14
    apply_roster_counts,
    member_of,
    membership_figures,
    one_post_per_person,
    person_key,
    roster_member_counts,
)
from communities.selectors.todo import todo_items  # noqa: E402, F401 — 我的待办 (jiedao/todo)


def problems_and_plans(year: int) -> list[dict]:
    """Per community, in code order, the problems and the plan its latest accepted update of the
    year states (the annual report's 存在问题和下步打算 is drafted from them). One query."""
    latest: dict[int, MonthlyUpdate] = {}
    updates = (
        MonthlyUpdate.objects.filter(period__year=year, status=MonthlyStatus.ACCEPTED)
        .select_related("community")
        .only("community__name", "community__code", "period", "problems", "next_plan")
        .order_by("community__code", "-period")
    )
    for update in updates:
        latest.setdefault(update.community_id, update)
    return [
        {"community": u.community.name, "problems": u.problems.strip(), "plans": u.next_plan.strip()}
        for u in latest.values()
        if u.problems.strip() or u.next_plan.strip()
    ]
