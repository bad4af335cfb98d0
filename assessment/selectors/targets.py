"""Reads of the target sheets: the ranking of the communities (三个文明建设考核), one community's
scores, one score's records and appeals. Query counts do not grow with communities or items."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from assessment.choices import AppealStatus, SheetStatus, TargetKind
from assessment.models import TargetAppeal, TargetItem, TargetScore, TargetSheet
from communities.models import Community

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def sheet_list(*, user, staff: bool) -> QuerySet[TargetSheet]:
    """Staff see every sheet; a secretary the published and final ones."""
    qs = TargetSheet.objects.annotate(item_count=Count("items"))
    return qs if staff else qs.exclude(status=SheetStatus.DRAFT)


def sheet_items(sheet: TargetSheet) -> QuerySet[TargetItem]:
    return sheet.items.annotate(scored=Count("scores", filter=Q(scores__points__isnull=False)))


@dataclass
class Result:
    community: Community
    base: Decimal
    bonus: Decimal
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        return self.base + self.bonus

    @property
    def target_score(self) -> Decimal:
        """What the appraisal receives: the total, at most 100."""
        return min(HUNDRED, self.total)


def sheet_results(sheet: TargetSheet) -> list[Result]:
    """Every community's points (the items, the bonus, the total), ranked by total; equal totals
    share a rank. Two queries."""
    sums = {
        row["community_id"]: row
        for row in TargetScore.objects.filter(item__sheet=sheet)
        .values("community_id")
        .annotate(
            base=Sum("points", filter=~Q(item__kind=TargetKind.SHOWCASE)),
            bonus=Sum("points", filter=Q(item__kind=TargetKind.SHOWCASE)),
        )
    }
    results = []
    for community in Community.objects.only("id", "code", "name").order_by("code"):
        row = sums.get(community.pk, {})
        results.append(Result(community, row.get("base") or ZERO, row.get("bonus") or ZERO))
    results.sort(key=lambda r: (-r.total, r.community.code))
    previous, rank = None, 0
    for index, result in enumerate(results, start=1):
        if result.total != previous:
            rank, previous = index, result.total
        result.rank = rank
    return results


def result_of(sheet: TargetSheet, community: Community) -> Result:
    return next(r for r in sheet_results(sheet) if r.community.pk == community.pk)


def community_scores(*, user, sheet: TargetSheet, community: Community) -> list[TargetScore]:
    """The community's score on every item, in the sheet's order, with any pending appeal counted."""
    return list(
        TargetScore.objects.restrict(user)
        .filter(item__sheet=sheet, community=community)
        .select_related("item")
        .annotate(pending=Count("appeals", filter=Q(appeals__status=AppealStatus.PENDING)))
        .order_by("item__order", "item_id")
    )


def score_detail_queryset(*, user) -> QuerySet[TargetScore]:
    return TargetScore.objects.restrict(user).select_related("item__sheet", "community")


def score_appeals(score: TargetScore) -> list[TargetAppeal]:
    return list(score.appeals.select_related("filed_by", "decided_by"))


def pending_appeals(sheet: TargetSheet) -> QuerySet[TargetAppeal]:
    return (
        TargetAppeal.objects.filter(score__item__sheet=sheet, status=AppealStatus.PENDING)
        .select_related("score__item", "score__community", "filed_by")
        .order_by("created_at")
    )
