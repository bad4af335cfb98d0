"""The report build and the dashboard read a fixed number of rows' worth of queries:
three times the communities, the same number of SQL queries (DESIGN §13)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.models import SubDistrictYear
from jiedao.reporting.annual import annual_report_context
from jiedao.reporting.dashboard import dashboard_context
from tests.communities.factories import CadreFactory, CommunityFactory, CommunityYearFactory

pytestmark = pytest.mark.django_db


def add_communities(count: int) -> None:
    for _ in range(count):
        community = CommunityFactory()
        CommunityYearFactory(community=community, year=2004, collective_income="8.00", is_poor=True)
        CommunityYearFactory(community=community, year=2005, collective_income="9.50")
        CadreFactory(community=community, directly_elected=True)
        CadreFactory(community=community, post="居委会主任", term_start=date(2005, 1, 1))


def queries(build) -> int:
    with CaptureQueriesContext(connection) as captured:
        build()
    return len(captured)


@pytest.mark.parametrize(
    "build",
    [lambda: annual_report_context(year=2005), lambda: dashboard_context(year=2005)],
    ids=["annual report", "dashboard"],
)
def test_queries_do_not_grow_with_the_communities(build):
    SubDistrictYear.objects.create(year=2004, fiscal_revenue=90, letters_visits=4, per_capita_income=4000)
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=100, letters_visits=3, per_capita_income=4500)
    add_communities(5)
    few = queries(build)
    add_communities(10)
    many = queries(build)
    assert many == few


def test_the_context_counts_what_it_reads():
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=100, letters_visits=3, per_capita_income=4500)
    add_communities(4)
    context = annual_report_context(year=2005)
    assert context["community_count"] == 4
    assert context["cadre_count"] == 8 and context["elected_count"] == 4
    economy = context["economy"]
    assert economy.income_total == 38 and economy.income_total_previous == 32
    assert len(economy.poor_previous) == 4 and economy.poor == []
