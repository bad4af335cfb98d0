"""The dashboard's cold path (the first view after a write, issue 16): a fixed number of queries
however many communities and years of data the city has; the rosters' member counts that it reads
in SQL are those `apply_roster_counts` counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import CommunityYear
from communities.selectors import apply_roster_counts
from jiedao.models import SubDistrictYear
from jiedao.reporting.cache import new_figures_version
from jiedao.reporting.dashboard import dashboard_context
from jiedao.reporting.figures import roster_counted
from tests.communities.factories import CommunityFactory, CommunityYearFactory, PartyMemberFactory

pytestmark = pytest.mark.django_db

# session, user, roles and the menu's count (the warm view's) + the years on record (1) + the
# economy (5) + the apps' figures of the two years shown (4, and the disclosure timeliness' 7 a year)
COLD_QUERIES = 28


def build_city(communities: list, years: list[int]) -> None:
    for index, community in enumerate(communities):
        for year in years:
            CommunityYearFactory(
                community=community, year=year, collective_income=f"{10 + index}.00", is_poor=index == 0
            )
        if index % 2 == 0:  # every other community keeps a roster: one member left, one arrived later
            PartyMemberFactory(community=community, joined_on=date(1990, 1, 1))
            PartyMemberFactory(community=community, joined_on=date(1990, 1, 1), left_on=date(years[0], 6, 1))
            PartyMemberFactory(community=community, joined_on=date(years[-1], 3, 1))
    for year in years:
        SubDistrictYear.objects.get_or_create(
            year=year, defaults={"fiscal_revenue": 100 + year, "letters_visits": 5, "per_capita_income": 4000}
        )


def cold_queries(client, year: int) -> int:
    new_figures_version()  # as after any write
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("jiedao:dashboard"), {"year": year})
    assert response.status_code == 200
    return len(captured)


def test_the_cold_staff_dashboard_costs_the_same_queries_for_any_city(client, staff):
    client.force_login(staff)
    build_city([CommunityFactory(), CommunityFactory()], [2005])
    small = cold_queries(client, 2005)
    build_city([CommunityFactory() for _ in range(4)], [2003, 2004, 2005])  # 6 communities, 3 years
    large = cold_queries(client, 2005)
    assert large == small <= COLD_QUERIES, (small, large)


def test_the_cold_secretary_dashboard_costs_the_same_queries_for_any_history(client, secretary_a, community_a):
    client.force_login(secretary_a)
    build_city([community_a, CommunityFactory()], [2005])
    one_year = cold_queries(client, 2005)
    build_city([community_a, CommunityFactory()], [2001, 2002, 2003, 2004])
    five_years = cold_queries(client, 2005)
    assert five_years == one_year, (one_year, five_years)


def test_the_rosters_count_the_members_as_the_roster_does(community_a, community_b):
    build_city([community_a, community_b, CommunityFactory()], [2003, 2004, 2005])
    expected = {
        (r.community_id, r.year): r.party_member_count for r in apply_roster_counts(CommunityYear.objects.all())
    }
    counted = {(r.community_id, r.year): r.party_member_count for r in roster_counted(CommunityYear.objects.all())}
    assert counted == expected
    assert expected[(community_a.pk, 2003)] == 1  # the one who left in 2003 is off the roll
    assert expected[(community_a.pk, 2005)] == 2  # the one who came in 2005 is on it
    assert expected[(community_b.pk, 2005)] == 20  # no roster: the typed count stands


def test_past_the_charts_limit_the_dashboard_reads_the_richest_communities_and_sums_every_one(monkeypatch):
    """A city larger than the chart: the dashboard reads only the communities its income chart
    shows (the most income this year), while its totals count every community."""
    monkeypatch.setattr("jiedao.reporting.figures.CHART_MAX_COMMUNITIES", 2)
    communities = [CommunityFactory(name=f"第{n}社区") for n in range(4)]
    build_city(communities, [2004, 2005])  # incomes 10, 11, 12, 13 (万元); the first is poor
    eco = dashboard_context(year=2005)["economy"]
    assert [r.community.name for r in eco.rows] == ["第3社区", "第2社区"]  # the richest two, richest first
    income, poor = (next(f for f in eco.figures() if f.key == key) for key in ("collective_income", "poor_villages"))
    assert (income.current, income.previous) == (Decimal("46.00"), Decimal("46.00"))  # all four
    assert (poor.current, poor.previous) == (1, 1)
    chart = dashboard_context(year=2005)["charts"][0]
    assert "前2名社区" in chart.title and "第3社区" in chart.svg and "第0社区" not in chart.svg
