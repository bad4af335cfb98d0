"""The evidence scorers of the target sheets: each item kind → a function that measures every
community from the portal's own records, with the records behind each number.

A scorer returns {community_id: Measure}; `Measure.rows` is the drill-down (one row per record or
expected record, `counts` telling whether it counts towards the numerator). The value is
numerator ÷ denominator; `points_for` turns it into points by the item's rule. Each scorer reads a
fixed number of queries whatever the number of communities.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.choices import TargetKind
from assessment.models import TrainingRecord
from assessment.selectors import cadres_in_office, minimum_hours
from communities.choices import MonthlyStatus
from communities.models import MonthlyUpdate, PartyMember
from communities.periods import deadline_of, due_months, month_label
from communities.selectors import FILED_STATUSES, compute_compliance
from communities.selectors.dues import dues_standings
from disclosure.choices import Timeliness
from disclosure.models import SATISFIED, Case
from disclosure.selectors import timeliness_cells
from showcase.choices import SiteStatus
from showcase.models import Site
from showcase.selectors import with_figures

TWO = Decimal("0.01")
FOUR = Decimal("0.0001")


@dataclass
class Row:
    """One record behind a score: what it is, its state, whether it counts, and where it lives."""

    label: str
    state: str
    counts: bool
    url: str = ""
    weight: Decimal = Decimal(1)  # what the row adds to the expected (and, when it counts, the counted)

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "state": self.state,
            "counts": self.counts,
            "url": self.url,
            "weight": str(self.weight),
        }


@dataclass
class Measure:
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    rows: list[Row] = field(default_factory=list)
    # the showcase bonus: a site accepted earns it all, whatever the rate
    accepted: bool = False

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(FOUR, ROUND_HALF_UP)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        self.denominator += row.weight
        if row.counts:
            self.numerator += row.weight


def _param(params: dict, name: str, default: str) -> Decimal:
    try:
        return Decimal(str(params.get(name, default)))
    except ArithmeticError:
        return Decimal(default)


def points_for(kind: str, measure: Measure, *, max_points: Decimal, params: dict) -> Decimal:
    """The points an item earns for `measure` by its rule (see TargetItem.params)."""
    max_points = Decimal(max_points)
    if kind == TargetKind.SHOWCASE:
        if measure.accepted:
            return max_points.quantize(TWO)
        share = _param(params, "progress_share", "0.5")
        return (max_points * share * (measure.value or Decimal(0))).quantize(TWO, ROUND_HALF_UP)
    value = measure.value
    if value is None:
        return (max_points if kind in FULL_WHEN_NOTHING else Decimal(0)).quantize(TWO)
    zero_at, full_at = _param(params, "zero_at", "0"), _param(params, "full_at", "1")
    if full_at <= zero_at:
        fraction = Decimal(1) if value >= full_at else Decimal(0)
    else:
        fraction = min(Decimal(1), max(Decimal(0), (value - zero_at) / (full_at - zero_at)))
    return (max_points * fraction).quantize(TWO, ROUND_HALF_UP)


def _month_rows(year: int, as_of: date):
    months = due_months(year, as_of)
    updates = MonthlyUpdate.objects.filter(period__year=year, period__month__in=months).only(
        "id", "community_id", "period", "status", "is_late", "first_submitted_at"
    )
    by_key = {(u.community_id, u.period.month): u for u in updates}
    return months, by_key


def monthly_on_time(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """Every month whose deadline has passed: handed in on time (its first submission by the
    deadline) or not."""
    months, by_key = _month_rows(year, as_of)
    result = {}
    for community_id in community_ids:
        measure = Measure()
        for month in months:
            period = date(year, month, 1)
            update = by_key.get((community_id, month))
            filed = update is not None and update.status in FILED_STATUSES
            if not filed:
                state = _("not handed in by %(deadline)s") % {"deadline": deadline_of(period).isoformat()}
            elif update.is_late:
                state = _("handed in late")
            else:
                state = _("handed in on time")
            url = reverse("communities:monthly_update_detail", args=[update.pk]) if update is not None else ""
            measure.add(Row(month_label(period), state, filed and not update.is_late, url))
        result[community_id] = measure
    return result


def meetings(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """三会一课 from the accepted monthly updates (communities.selectors.compute_compliance): each
    required meeting is a row, held or missed."""
    months = due_months(year, as_of)
    accepted: dict[int, dict[int, MonthlyUpdate]] = defaultdict(dict)
    for update in MonthlyUpdate.objects.filter(
        period__year=year, period__month__in=months, status=MonthlyStatus.ACCEPTED
    ):
        accepted[update.community_id][update.period.month] = update
    result = {}
    for community_id in community_ids:
        compliance = compute_compliance(year=year, accepted=accepted.get(community_id, {}), due=months)
        measure = Measure()
        # the meetings held and the ones missed as two counted rows (their sum is the requirement),
        # then each miss by name and each accepted update that reports the meetings, as links
        # weighing nothing of their own
        held, missed = Decimal(compliance.met), Decimal(compliance.required - compliance.met)
        if held:
            label = _("%(count)s required meetings held") % {"count": compliance.met}
            measure.add(Row(label, _("reported in the accepted monthly updates"), True, "", held))
        if missed:
            label = _("%(count)s required meetings not held") % {"count": compliance.required - compliance.met}
            measure.add(Row(label, _("not held or not reported"), False, "", missed))
        for miss in compliance.misses:
            measure.add(Row(miss, _("not held or not reported"), False, "", Decimal(0)))
        for month, update in sorted(accepted.get(community_id, {}).items()):
            url = reverse("communities:monthly_update_detail", args=[update.pk])
            measure.add(Row(month_label(date(year, month, 1)), _("accepted monthly update"), True, url, Decimal(0)))
        result[community_id] = measure
    return result


def disclosure(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """公开及时率: every expected disclosure of the community's board, on time or not."""
    wanted = set(community_ids)
    result = {community_id: Measure() for community_id in community_ids}
    cells = sorted(timeliness_cells(year=year, as_of=as_of), key=lambda c: (c.deadline, c.item.category, c.item.name))
    for cell in cells:
        community_id = cell.board.community_id
        if community_id not in wanted or not cell.expected:
            continue
        label = _("%(item)s, %(start)s to %(end)s (due %(deadline)s)") % {
            "item": cell.item.name,
            "start": cell.period_start.isoformat(),
            "end": cell.period_end.isoformat(),
            "deadline": cell.deadline.isoformat(),
        }
        url = reverse("gongkai:board", args=[cell.board.slug])
        result[community_id].add(Row(label, str(cell.status_label), cell.status == Timeliness.ON_TIME, url))
    return result


def dues(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """党费: the members on the roll at the end of the year who owe nothing for it — their 交至年月
    reaches December (communities.selectors.dues.dues_standings, as of the first day of the next
    year, or `as_of` if earlier). A member whose dues were never assessed owes nothing."""
    end = date(year, 12, 31)
    on = min(as_of, date(year + 1, 1, 1))
    members = (
        PartyMember.objects.filter(community_id__in=list(community_ids))
        .active_on(end)
        .only("id", "name", "community_id")
        .order_by("name", "id")
    )
    result = {community_id: Measure() for community_id in community_ids}
    for standing in dues_standings(members, today=on):
        if standing.months_unpaid:
            state = _("%(months)s months unpaid") % {"months": standing.months_unpaid}
        elif standing.paid_through:
            state = _("paid through %(month)s") % {"month": month_label(standing.paid_through)}
        else:
            state = _("nothing owed")
        result[standing.member.community_id].add(Row(standing.member.name, state, not standing.months_unpaid))
    return result


def _cases(year: int, community_ids):
    return (
        Case.objects.of_year(year)
        .filter(community_id__in=list(community_ids))
        .only("id", "number", "community_id", "category", "received_on", "deadline", "replied_at", "satisfaction")
        .order_by("received_on", "sequence")
    )


def cases_on_time(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """诉求 received that year and answered by their deadline (the ledger's answered_on_time ÷
    received, disclosure.selectors.case_figures): each case is a row."""
    result = {community_id: Measure() for community_id in community_ids}
    for case in _cases(year, community_ids):
        replied = timezone.localdate(case.replied_at) if case.replied_at else None
        if replied is None:
            state = _("not answered (due %(deadline)s)") % {"deadline": case.deadline.isoformat()}
        elif replied <= case.deadline:
            state = _("answered on %(day)s, on time") % {"day": replied.isoformat()}
        else:
            state = _("answered on %(day)s, late") % {"day": replied.isoformat()}
        label = f"{case.number} {case.get_category_display()}（{case.received_on.isoformat()}）"
        ok = replied is not None and replied <= case.deadline
        result[case.community_id].add(Row(label, state, ok, reverse("disclosure:case_detail", args=[case.pk])))
    return result


def cases_satisfaction(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """诉求 of that year whose resident rated the answer: 满意 or 基本满意 count (case_figures'
    satisfied ÷ rated)."""
    result = {community_id: Measure() for community_id in community_ids}
    for case in _cases(year, community_ids).exclude(satisfaction=""):
        label = f"{case.number} {case.get_category_display()}（{case.received_on.isoformat()}）"
        result[case.community_id].add(
            Row(
                label,
                str(case.get_satisfaction_display()),
                case.satisfaction in SATISFIED,
                reverse("disclosure:case_detail", args=[case.pk]),
            )
        )
    return result


def training(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """The community's cadres in office that year who reached the year's minimum training hours."""
    minimum = minimum_hours(year)
    hours = dict(
        TrainingRecord.objects.filter(event__start_date__year=year)
        .values("cadre_id")
        .annotate(h=Sum(Coalesce("hours", "event__hours")))
        .values_list("cadre_id", "h")
    )
    result = {community_id: Measure() for community_id in community_ids}
    cadres = cadres_in_office(year).filter(community_id__in=list(community_ids)).order_by("term_start", "name")
    for cadre in cadres.only("id", "name", "post", "community_id"):
        h = hours.get(cadre.pk) or Decimal(0)
        state = _("%(hours)s of %(minimum)s hours") % {"hours": h, "minimum": minimum}
        result[cadre.community_id].add(Row(f"{cadre.name}（{cadre.post}）", state, h >= minimum))
    return result


def showcase(*, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    """The community's demonstration site in the year's programme: its standards met (progress by
    points) and whether it passed the 区级 acceptance. No site, no bonus."""
    result = {community_id: Measure() for community_id in community_ids}
    sites = with_figures(Site.objects.filter(programme__year=year, community_id__in=list(community_ids)))
    for site in sites.prefetch_related("checks__standard"):
        measure = result[site.community_id]
        for check in sorted(site.checks.all(), key=lambda c: c.standard.code):
            state = _("met") if check.met else _("not met")
            measure.add(
                Row(
                    f"{check.standard.code} {check.standard.title}",
                    state,
                    check.met,
                    site.get_absolute_url(),
                    Decimal(check.standard.points),
                )
            )
        measure.accepted = site.status == SiteStatus.ACCEPTED
        if measure.accepted:
            label = _("区级 acceptance passed on %(day)s, score %(score)s") % {
                "day": site.accepted_on.isoformat(),
                "score": site.acceptance_score,
            }
            measure.rows.insert(0, Row(label, _("accepted"), True, site.get_absolute_url(), Decimal(0)))
    return result


SCORERS = {
    TargetKind.MONTHLY_ON_TIME: monthly_on_time,
    TargetKind.MEETINGS: meetings,
    TargetKind.DISCLOSURE: disclosure,
    TargetKind.TRAINING: training,
    TargetKind.DUES: dues,
    TargetKind.CASES_ON_TIME: cases_on_time,
    TargetKind.CASES_SATISFACTION: cases_satisfaction,
    TargetKind.SHOWCASE: showcase,
}
# Kinds where a community with nothing to count (no 诉求 that year) earns every point: nothing
# was answered late and nobody was dissatisfied.
FULL_WHEN_NOTHING = {TargetKind.CASES_ON_TIME, TargetKind.CASES_SATISFACTION}


def measure_all(kind: str, *, year: int, community_ids, as_of: date, params: dict) -> dict[int, Measure]:
    return SCORERS[kind](year=year, community_ids=list(community_ids), as_of=as_of, params=params or {})
