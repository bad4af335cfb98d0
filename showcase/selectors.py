"""Reads of the demonstration-site programme. Query counts do not grow with rows: progress and
funding totals are subqueries annotated on the site queryset."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communities.choices import CommunityKind
from communities.models import CommunityYear
from jiedao.aggregates import related_total
from jiedao.permissions import Role, community_id_of, has_role
from jiedao.todo.items import TodoItem

from .choices import EconomicTier, FundingSource, InspectionKind, PhotoKind, RectificationStatus, SiteStatus
from .models import (
    Funding,
    Inspection,
    Photo,
    Programme,
    Rectification,
    Site,
    Standard,
    StandardCheck,
    progress_of,
)

ZERO = Decimal("0.00")
WAN = DecimalField(max_digits=12, decimal_places=2)


def _checks(total, *, met_only: bool = False):
    """A site's checks summed by `total` (a Sum or a Count)."""
    checks = StandardCheck.objects.filter(met=True) if met_only else StandardCheck.objects.all()
    return related_total(checks, "site", total)


def _points(*, met_only: bool = False):
    return _checks(Sum("standard__points"), met_only=met_only)


def _funding(source: str | None = None):
    lines = Funding.objects.filter(source=source) if source else Funding.objects.all()
    return related_total(lines, "site", Sum("amount"), empty=ZERO, output_field=WAN)


# Site lists read 较好 → 一般 → 较差 (the tier is a column of every list), then by community code.
TIER_ORDER = Case(
    When(economic_tier=EconomicTier.GOOD, then=Value(0)),
    When(economic_tier=EconomicTier.AVERAGE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
SITE_ORDER = (TIER_ORDER.asc(), "community__code")


@dataclass(frozen=True)
class IncomeRank:
    """A former village's place by collective income among the year's former villages, and the
    economic tier that place means: the top third 较好, the middle third 一般, the bottom third 较差."""

    rank: int
    of: int
    income: Decimal
    tier: str

    @property
    def tier_label(self) -> str:
        return EconomicTier(self.tier).label


def income_tiers(year: int) -> dict[int, IncomeRank]:
    """{community id: IncomeRank} from the year's CommunityYear incomes (former villages only: the
    urban communities have no collective economy to rank). One query."""
    rows = list(
        CommunityYear.objects.filter(year=year, community__kind=CommunityKind.VILLAGE)
        .order_by("-collective_income", "community__code")
        .values_list("community_id", "collective_income")
    )
    n = len(rows)
    tiers = {}
    for index, (community_id, income) in enumerate(rows):
        if 3 * index < n:
            tier = EconomicTier.GOOD
        elif 3 * index < 2 * n:
            tier = EconomicTier.AVERAGE
        else:
            tier = EconomicTier.POOR
        tiers[community_id] = IncomeRank(index + 1, n, income, tier)
    return tiers


def with_figures(queryset: QuerySet[Site]) -> QuerySet[Site]:
    """Annotate each site with points_met, points_total and funding per source (万元)."""
    return queryset.annotate(
        points_total=_points(),
        points_met=_points(met_only=True),
        standards_total=_checks(Count("pk")),
        standards_met=_checks(Count("pk"), met_only=True),
        funding_subsidy=_funding(FundingSource.SUBSIDY),
        funding_award=_funding(FundingSource.AWARD),
        funding_self_raised=_funding(FundingSource.SELF_RAISED),
        funding_total=_funding(),
    )


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.annotate(
        site_count=related_total(Site.objects.all(), "programme"),
        standard_count=related_total(Standard.objects.all(), "programme"),
    )


def programme_for_year(year: int) -> Programme | None:
    return Programme.objects.filter(year=year).first()


def sites_of(*, user, programme: Programme | None = None) -> QuerySet[Site]:
    qs = Site.objects.select_related("community", "programme").restrict(user)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return with_figures(qs).order_by("-programme__year", *SITE_ORDER)


def open_items_of(*, user) -> list[Rectification]:
    """The items a secretary still has to put right (their own community's, by .restrict)."""
    today = timezone.localdate()
    items = list(
        Rectification.objects.filter(status=RectificationStatus.OPEN)
        .restrict(user)
        .select_related("site__community", "site__programme")
        .order_by("deadline", "id")
    )
    for item in items:
        item.overdue = item.is_overdue(today)
    return items


def overdue_rectifications(*, today: date | None = None, programme: Programme | None = None):
    today = today or timezone.localdate()
    qs = Rectification.objects.exclude(status=RectificationStatus.CLOSED).filter(deadline__lt=today)
    if programme is not None:
        qs = qs.filter(site__programme=programme)
    return qs.select_related("site__community", "standard").order_by("deadline", "id")


@dataclass
class FundingTotals:
    subsidy: Decimal = ZERO
    award: Decimal = ZERO
    self_raised: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.subsidy + self.award + self.self_raised


def funding_totals(*, programme: Programme, sites=None) -> FundingTotals:
    """Programme totals by source; `sites` limits them (a secretary's own sites)."""
    qs = Funding.objects.filter(site__programme=programme)
    if sites is not None:
        qs = qs.filter(site__in=sites)
    sums = dict(qs.order_by().values_list("source").annotate(s=Sum("amount")))
    return FundingTotals(**{key: sums.get(key, ZERO) for key in FundingSource.values})


def programme_detail(*, user, programme: Programme) -> dict:
    today = timezone.localdate()
    return {
        "sites": list(sites_of(user=user, programme=programme)),
        "standards": list(programme.standards.order_by("code")),
        "totals": funding_totals(programme=programme),
        "overdue": list(overdue_rectifications(today=today, programme=programme)),
        "awaiting_verification": list(
            Rectification.objects.filter(site__programme=programme, status=RectificationStatus.REPORTED)
            .select_related("site__community")
            .order_by("reported_at", "id")
        ),
        "inspections": list(
            Inspection.objects.filter(programme=programme).prefetch_related(
                Prefetch("sites", queryset=Site.objects.select_related("community"))
            )[:10]
        ),
        "inspection_count": programme.inspections.count(),
        "today": today,
    }


def site_detail_queryset(*, user) -> QuerySet[Site]:
    return with_figures(Site.objects.select_related("community", "programme").restrict(user))


def site_detail(*, site: Site) -> dict:
    today = timezone.localdate()
    checks = list(
        site.checks.select_related("standard", "checked_by")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("id")))
        .order_by("standard__code")
    )
    rectifications = list(site.rectifications.select_related("standard").order_by("status", "deadline", "id"))
    for item in rectifications:
        item.overdue = item.is_overdue(today)
    return {
        # the tier agrees with the incomes known when the site was chosen (the year before the programme)
        "income_rank": income_tiers(site.programme.year - 1).get(site.community_id),
        "checks": checks,
        "rectifications": rectifications,
        "funding_lines": list(site.funding.order_by("date", "id")),
        "inspections": list(site.inspections.order_by("-date", "-id")[:20]),
    }


def inspection_queryset(*, user) -> QuerySet[Inspection]:
    return (
        Inspection.objects.select_related("programme", "recorded_by")
        .prefetch_related(Prefetch("sites", queryset=Site.objects.select_related("community")))
        .restrict(user)
    )


def rectification_queryset(*, user) -> QuerySet[Rectification]:
    return (
        Rectification.objects.select_related(
            "site__community", "site__programme", "standard", "inspection", "reported_by", "closed_by", "opened_by"
        )
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("id")))
        .restrict(user)
    )


# -- the public showcase (no personal data) ----------------------------------------------------


def public_programme(year: int | None = None) -> Programme | None:
    qs = Programme.objects.all()
    if year is not None:
        return qs.filter(year=year).first()
    return qs.order_by("-year").first()


def public_sites(*, programme: Programme) -> list[Site]:
    """The sites with progress, funding totals and their evidence photos. Only these fields reach
    the public template: community name, theme, goal, tier, status, figures and photo ids."""
    evidence = Photo.objects.filter(kind=PhotoKind.EVIDENCE).select_related("check_item__standard").order_by("id")
    qs = (
        Site.objects.filter(programme=programme)
        .select_related("community")
        .prefetch_related(Prefetch("photos", queryset=evidence, to_attr="evidence_photos"))
        .order_by(*SITE_ORDER)
    )
    return list(with_figures(qs))


def public_photo_queryset() -> QuerySet[Photo]:
    return Photo.objects.filter(kind=PhotoKind.EVIDENCE)


# -- dashboard and annual report ----------------------------------------------------------------


def dashboard_figures(*, year: int) -> dict:
    return dashboard_figures_by_year(years=[year])[year]


def dashboard_figures_by_year(*, years) -> dict[int, dict]:
    """`dashboard_figures` of several years, keyed by year. One query: the points alone (the
    rest of `with_figures` joins every check and funding line), summed over the checks joined
    once rather than twice per site in subqueries."""
    sites = {year: [] for year in years}
    points = "checks__standard__points"
    for site in (
        Site.objects.filter(programme__year__in=years)
        .order_by()
        .values("pk", "programme__year", "status")
        .annotate(points_total=Sum(points), points_met=Sum(points, filter=Q(checks__met=True)))
    ):
        sites[site["programme__year"]].append(site)
    figures = {}
    for year, of_year in sites.items():
        progresses = [p for p in (progress_of(s["points_met"], s["points_total"]) for s in of_year) if p is not None]
        average = (sum(progresses) / len(progresses)).quantize(Decimal("0.0001")) if progresses else None
        figures[year] = {
            "site_progress": average,
            "sites": len(of_year),
            "sites_accepted": sum(1 for s in of_year if s["status"] == SiteStatus.ACCEPTED),
        }
    return figures


@dataclass
class ReportSite:
    community: str
    theme: str
    tier: str
    status: str
    progress: Decimal | None
    standards_met: int
    standards_total: int
    funding: dict[str, Decimal]
    funding_total: Decimal
    accepted_on: date | None = None
    acceptance_score: Decimal | None = None


@dataclass
class ReportProgramme:
    year: int
    name: str
    description: str
    bonus_points: Decimal
    sites: list[ReportSite] = field(default_factory=list)
    funding: dict[str, Decimal] = field(default_factory=dict)
    funding_total: Decimal = ZERO
    inspections: dict[str, int] = field(default_factory=dict)
    inspections_total: int = 0
    rectifications_opened: int = 0
    rectifications_closed: int = 0
    rectifications_overdue: int = 0


def annual_report_section(*, year: int, today: date | None = None) -> dict:
    """The chapter 二、示范点创建: the year's programme(s), each site's figures, funding by source,
    inspections by kind and rectification counts. Six queries, whatever the number of rows."""
    today = today or timezone.localdate()
    programmes = list(Programme.objects.filter(year=year).order_by("id"))
    sites = list(
        with_figures(Site.objects.filter(programme__year=year).select_related("community")).order_by("community__code")
    )
    kinds = Counter(
        {
            (row["programme"], row["kind"]): row["n"]
            for row in Inspection.objects.filter(programme__year=year)
            .order_by()
            .values("programme", "kind")
            .annotate(n=Count("id"))
        }
    )
    rect = {
        row["site__programme"]: row
        for row in Rectification.objects.filter(site__programme__year=year)
        .order_by()
        .values("site__programme")
        .annotate(
            opened=Count("id"),
            closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)),
            overdue=Count("id", filter=~Q(status=RectificationStatus.CLOSED) & Q(deadline__lt=today)),
        )
    }
    labels = dict(FundingSource.choices)
    result = []
    for programme in programmes:
        entry = ReportProgramme(
            year=programme.year,
            name=programme.name,
            description=programme.description,
            bonus_points=programme.bonus_points,
            funding={str(labels[s]): ZERO for s in FundingSource.values},
        )
        for site in (s for s in sites if s.programme_id == programme.pk):
            by_source = {
                str(labels[FundingSource.SUBSIDY]): site.funding_subsidy,
                str(labels[FundingSource.AWARD]): site.funding_award,
                str(labels[FundingSource.SELF_RAISED]): site.funding_self_raised,
            }
            entry.sites.append(
                ReportSite(
                    community=site.community.name,
                    theme=site.theme,
                    tier=str(site.get_economic_tier_display()),
                    status=str(site.get_status_display()),
                    progress=progress_of(site.points_met, site.points_total),
                    standards_met=site.standards_met,
                    standards_total=site.standards_total,
                    funding=by_source,
                    funding_total=site.funding_total,
                    accepted_on=site.accepted_on,
                    acceptance_score=site.acceptance_score,
                )
            )
            for label, amount in by_source.items():
                entry.funding[label] += amount
        entry.funding_total = sum(entry.funding.values(), ZERO)
        entry.inspections = {str(label): kinds[(programme.pk, kind)] for kind, label in InspectionKind.choices}
        entry.inspections_total = sum(entry.inspections.values())
        counts = rect.get(programme.pk, {})
        entry.rectifications_opened = counts.get("opened", 0)
        entry.rectifications_closed = counts.get("closed", 0)
        entry.rectifications_overdue = counts.get("overdue", 0)
        result.append(entry)
    return {"year": year, "programmes": result, "funding_labels": [str(labels[s]) for s in FundingSource.values]}


def todo_items(user) -> list[TodoItem]:
    """我的待办 (jiedao/todo): an inspector verifies the fixes reported; a secretary puts right
    their own sites' open items (overdue past the deadline). One query."""
    if has_role(user, Role.INSPECTOR):
        wanted = Q(status=RectificationStatus.REPORTED)
        kind = _("Rectification to verify")
    elif has_role(user, Role.SECRETARY) and community_id_of(user) is not None:
        wanted = Q(status=RectificationStatus.OPEN, site__community_id=community_id_of(user))
        kind = _("Rectification to put right")
    else:
        return []
    today = timezone.localdate()
    rows = (
        Rectification.objects.filter(wanted)
        .select_related("site__community")
        .only("id", "description", "deadline", "status", "created_at", "reported_at", "site__community__name")
    )
    return [
        TodoItem(
            kind_label=kind,
            title=Truncator(item.description).chars(40),
            url=item.get_absolute_url(),
            since=item.reported_at or item.created_at,
            community_name=item.site.community.name,
            overdue=item.is_open and item.deadline < today,
        )
        for item in rows
    ]
