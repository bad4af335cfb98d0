"""Reads of the case ledger (诉求/信访): staff lists, one case for its handler, the public status
behind a query code, and the yearly figures the report, the 四权 index and the target sheets use."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncDate

from disclosure.models import SATISFIED, Case, CaseChannel, CaseEvent
from jiedao.permissions import visible_to

__all__ = [
    "CaseFigures",
    "case_counts_by_year",
    "case_figures",
    "case_figures_by_community",
    "case_list",
    "ledger_first_year",
]


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class CaseFigures:
    """One year of the ledger (for the whole sub-district, or one community)."""

    year: int
    total: int  # every case received that year: letters, visits, calls and online filings
    letters: int
    visits: int
    calls: int
    online: int
    collective: int  # 集体上访
    answered: int
    answered_on_time: int
    closed: int
    rated: int
    satisfied: int  # 满意 + 基本满意

    @property
    def response_rate(self) -> Decimal | None:
        """Answered / received, in %."""
        return percent(self.answered, self.total)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Answered by the deadline / received, in % (a case still unanswered counts as not on time)."""
        return percent(self.answered_on_time, self.total)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """(满意 + 基本满意) / rated, in %."""
        return percent(self.satisfied, self.rated)


def _figures_aggregate() -> dict:
    return {
        "total": Count("pk"),
        "letters": Count("pk", filter=Q(channel=CaseChannel.LETTER)),
        "visits": Count("pk", filter=Q(channel=CaseChannel.VISIT)),
        "calls": Count("pk", filter=Q(channel=CaseChannel.CALL)),
        "online": Count("pk", filter=Q(channel=CaseChannel.ONLINE)),
        "collective": Count("pk", filter=Q(collective=True)),
        "answered": Count("pk", filter=Q(replied_at__isnull=False)),
        "answered_on_time": Count("pk", filter=Q(replied_day__lte=F("deadline"))),
        "closed": Count("pk", filter=Q(closed_at__isnull=False)),
        "rated": Count("pk", filter=~Q(satisfaction="")),
        "satisfied": Count("pk", filter=Q(satisfaction__in=SATISFIED)),
    }


def case_figures(year: int, community=None) -> CaseFigures:
    """The ledger's figures for `year` (cases received that year), for the sub-district or for one
    `community` (an object or an id). One query."""
    cases = Case.objects.of_year(year).annotate(replied_day=TruncDate("replied_at"))
    if community is not None:
        cases = cases.filter(community=community)
    values = cases.aggregate(**_figures_aggregate())
    return CaseFigures(year=year, **values)


def case_figures_by_community(years, communities=None) -> dict[tuple[int, int], CaseFigures]:
    """case_figures of each of `years` for every community (or each of the ids `communities`)
    with a case that year, keyed by (year, community id). One query."""
    years = list(years)
    cases = Case.objects.filter(received_on__year__gte=min(years), received_on__year__lte=max(years))
    if communities is not None:
        cases = cases.filter(community__in=communities)
    rows = (
        cases.annotate(replied_day=TruncDate("replied_at"), received_year=ExtractYear("received_on"))
        .values("received_year", "community_id")
        .order_by("received_year", "community_id")
        .annotate(**_figures_aggregate())
    )
    figures = {}
    for row in rows:
        key = (row.pop("received_year"), row.pop("community_id"))
        if key[0] in years:
            figures[key] = CaseFigures(year=key[0], **row)
    return figures


def ledger_first_year() -> int | None:
    """The year of the ledger's first case: from that year on the 来信来访 figures are counted from
    the ledger, before it the typed SubDistrictYear figures stand."""
    first = Case.objects.aggregate(first=Min("received_on"))["first"]
    return first.year if first else None


# -- staff ------------------------------------------------------------------------------------


def case_list(*, user) -> QuerySet[Case]:
    return visible_to(user, Case.objects.select_related("community", "handler")).order_by("-received_on", "-sequence")


def case_detail_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "from_handler", "to_handler", "from_community", "to_community")


def case_counts_by_year() -> dict[int, tuple[int, int]]:
    """{year: (cases received, collective petitions)} for every year of the ledger. One query."""
    rows = (
        Case.objects.annotate(y=ExtractYear("received_on"))
        .values("y")
        .order_by("y")
        .annotate(total=Count("pk"), collective=Count("pk", filter=Q(collective=True)))
    )
    return {r["y"]: (r["total"], r["collective"]) for r in rows}
