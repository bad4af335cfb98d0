"""Reads of communities and their figures. Query counts do not grow with rows."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from jiedao.permissions import visible_to

from .models import Cadre, Community, CommunityYear, PartyMember


def public_community_list() -> QuerySet[Community]:
    """What anyone may know about the communities: names, type, size."""
    return Community.objects.only("code", "name", "kind", "area_km2", "households", "population")


def community_list(*, user) -> QuerySet[Community]:
    return visible_to(user, Community.objects.annotate(member_count=Count("party_members")))


def cadres_of(community: Community) -> QuerySet[Cadre]:
    return community.cadres.order_by("term_start", "name")


def party_members(*, user, community: Community | None = None) -> QuerySet[PartyMember]:
    qs = visible_to(user, PartyMember.objects.select_related("community"))
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
    return visible_to(
        user,
        Community.objects.annotate(member_count=Count("party_members")).prefetch_related(
            Prefetch("cadres", queryset=Cadre.objects.order_by("term_start", "name"))
        ),
    )
