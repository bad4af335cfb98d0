"""Reads of the 党费 ledger: the rate table, each member's standing (paid through, months unpaid)
and the sums the half-yearly notice and the annual report use. A ledger page runs a fixed number
of queries however many members it lists."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Min, Sum
from django.utils.translation import gettext as _

from communities.models import DuesBase, DuesLapseReview, DuesPayment, DuesRateBand, PartyMember
from communities.models.dues import DuesCategory, DuesReviewStatus
from communities.periods import month_start, next_month, previous_month

WARN_MONTHS = 3  # 连续三个月未交: the secretary is told
LAPSE_MONTHS = 6  # 连续六个月未交: a 自行脱党 review for the secretary (never automatic)


def rate_bands() -> dict[str, list[DuesRateBand]]:
    """The rate table by category, each in ascending bands."""
    table: dict[str, list[DuesRateBand]] = {c: [] for c in DuesCategory.values}
    for band in DuesRateBand.objects.order_by("category", "income_above"):
        table[band.category].append(band)
    return table


def monthly_dues(bands: dict[str, list[DuesRateBand]], category: str, base: Decimal) -> Decimal | None:
    """What a base pays a month by the table; None when no band covers it (the table has a gap)."""
    for band in bands.get(category, []):
        if band.covers(Decimal(base)):
            return band.monthly_amount(Decimal(base))
    return None


def months_between(first: date, last: date) -> int:
    """Months from `first` to `last`, both included (0 when last is before first)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return max(0, count)


def months_unpaid(*, dues_start: date | None, paid_through: date | None, today: date) -> int:
    """Ended months owed: from the month after the last paid one (or the first month dues were
    assessed) to the month before today's. The current month is not yet owed."""
    if dues_start is None and paid_through is None:
        return 0
    first_due = next_month(paid_through) if paid_through else month_start(dues_start)
    return months_between(first_due, previous_month(month_start(today)))


@dataclass
class DuesStanding:
    member: PartyMember
    base: DuesBase | None
    paid_through: date | None
    months_unpaid: int

    @property
    def monthly_amount(self) -> Decimal | None:
        return self.base.monthly_amount if self.base else None

    @property
    def owed(self) -> Decimal:
        return (self.monthly_amount or Decimal(0)) * self.months_unpaid

    @property
    def warned(self) -> bool:
        return self.months_unpaid >= WARN_MONTHS

    @property
    def lapsing(self) -> bool:
        return self.months_unpaid >= LAPSE_MONTHS

    @property
    def flag(self) -> str:
        if self.lapsing:
            return _("Six months or more unpaid")
        if self.warned:
            return _("Three months or more unpaid")
        return ""


def dues_standings(members, *, today: date) -> list[DuesStanding]:
    """Each member's current base, 交至年月 and months unpaid, in three queries."""
    members = list(members)
    ids = [m.pk for m in members]
    current: dict[int, DuesBase] = {}
    for base in DuesBase.objects.filter(member_id__in=ids, effective_from__lte=today).order_by(
        "member_id", "-effective_from"
    ):
        current.setdefault(base.member_id, base)
    starts = dict(
        DuesBase.objects.filter(member_id__in=ids)
        .values("member_id")
        .annotate(first=Min("effective_from"))
        .values_list("member_id", "first")
    )
    paid = dict(
        DuesPayment.objects.filter(member_id__in=ids)
        .values("member_id")
        .annotate(last=Max("paid_through"))
        .values_list("member_id", "last")
    )
    return [
        DuesStanding(
            member=m,
            base=current.get(m.pk),
            paid_through=paid.get(m.pk),
            months_unpaid=months_unpaid(dues_start=starts.get(m.pk), paid_through=paid.get(m.pk), today=today),
        )
        for m in members
    ]


def member_paid_through(member: PartyMember) -> date | None:
    return member.dues_payments.aggregate(last=Max("paid_through"))["last"]


def member_dues(member: PartyMember) -> dict:
    """A member's own dues page: their bases and payments."""
    return {
        "bases": list(member.dues_bases.order_by("-effective_from")),
        "payments": list(member.dues_payments.order_by("-paid_on", "-id")[:60]),
    }


def dues_collected(*, start: date, end: date, community_ids=None) -> dict[int, Decimal]:
    """Money handed in between two dates (both included), per community."""
    rows = DuesPayment.objects.filter(paid_on__gte=start, paid_on__lte=end)
    if community_ids is not None:
        rows = rows.filter(member__community_id__in=list(community_ids))
    totals = rows.values("member__community_id").annotate(total=Sum("amount"))
    return dict(totals.values_list("member__community_id", "total"))


def half_year_bounds(year: int, half: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


@dataclass
class HalfYearFigures:
    year: int
    half: int
    payers: int
    payments: int
    collected: Decimal
    members: int
    in_arrears: int
    lapsing: int


def dues_half_year_figures(*, community, year: int, half: int, today: date | None = None) -> HalfYearFigures:
    """The figures of the half-yearly 党费收缴情况, from the ledger."""
    start, end = half_year_bounds(year, half)
    rows = DuesPayment.objects.filter(member__community=community, paid_on__gte=start, paid_on__lte=end)
    totals = rows.aggregate(total=Sum("amount"))
    on = min(today or end, next_month(month_start(end)))
    members = PartyMember.objects.filter(community=community).active_on(end).only("id", "name", "community_id")
    standings = dues_standings(members, today=on)
    return HalfYearFigures(
        year=year,
        half=half,
        payers=rows.values("member_id").distinct().count(),
        payments=rows.count(),
        collected=totals["total"] or Decimal("0.00"),
        members=len(standings),
        in_arrears=sum(1 for s in standings if s.warned),
        lapsing=sum(1 for s in standings if s.lapsing),
    )


def open_lapse_reviews(*, user, community=None):
    reviews = DuesLapseReview.objects.restrict(user).filter(status=DuesReviewStatus.OPEN)
    if community is not None:
        reviews = reviews.filter(member__community=community)
    return reviews.select_related("member", "member__community")
