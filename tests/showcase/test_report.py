"""The dashboard and annual-report contract, on the demo data (the seed's 2005 programme)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import showcase.demo
from jiedao.demo import secretary_username
from jiedao.permissions import Role
from showcase.models import Funding, Inspection, Programme, Rectification, Site, Standard, StandardCheck
from showcase.selectors import annual_report_section, dashboard_figures, programme_list, with_figures
from tests.communities.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(make_user):
    """The six pilot communities and the demo accounts showcase.demo acts as, then its data."""
    for index, name in enumerate(["秀水", "丛树", "建设", "向龙", "鹤林", "平丰"], start=1):
        community = CommunityFactory(code=f"SQ{index:02d}", name=f"{name}社区")
        make_user(secretary_username(community), Role.SECRETARY, community)
    make_user("staff", Role.STAFF)
    make_user("inspector", Role.INSPECTOR)
    showcase.demo.load(stdout=io.StringIO(), password="unused")


def test_the_demo_is_the_seeds_programme_and_loads_once(demo):
    counts = (Programme.objects.count(), Site.objects.count(), Funding.objects.count(), Inspection.objects.count())
    showcase.demo.load(stdout=io.StringIO(), password="pw-demo-1234")
    assert (
        Programme.objects.count(),
        Site.objects.count(),
        Funding.objects.count(),
        Inspection.objects.count(),
    ) == counts
    assert sorted(Site.objects.values_list("community__name", flat=True)) == sorted(
        ["秀水社区", "丛树社区", "建设社区", "向龙社区", "鹤林社区", "平丰社区"]
    )
    assert Rectification.objects.exclude(status="closed").count() == 3


def test_the_lists_count_each_sites_checks_and_each_programmes_sites_once(demo):
    """The counts the lists show, each now from a subquery of its own, equal the rows counted one by one."""
    programme = programme_list().get(year=2005)
    assert programme.site_count == Site.objects.filter(programme=programme).count() == 6
    assert programme.standard_count == Standard.objects.filter(programme=programme).count() > 1
    for site in with_figures(Site.objects.filter(programme=programme)):
        checks = StandardCheck.objects.filter(site=site)
        assert (site.standards_total, site.standards_met) == (checks.count(), checks.filter(met=True).count())
        assert site.funding_total == sum(f.amount for f in Funding.objects.filter(site=site))


def test_dashboard_figures(demo):
    assert dashboard_figures(year=2005) == {"site_progress": Decimal("0.8000"), "sites": 6, "sites_accepted": 2}
    assert dashboard_figures(year=2004) == {"site_progress": None, "sites": 0, "sites_accepted": 0}


def test_annual_report_section_figures(demo):
    with translation.override("zh-hans"):
        section = annual_report_section(year=2005, today=date(2005, 12, 31))
    (programme,) = section["programmes"]
    assert programme.year == 2005 and programme.bonus_points == Decimal("5.0")
    by_name = {site.community: site for site in programme.sites}
    assert list(by_name) == ["秀水社区", "丛树社区", "建设社区", "向龙社区", "鹤林社区", "平丰社区"]
    xiushui = by_name["秀水社区"]
    assert (xiushui.progress, xiushui.standards_met, xiushui.standards_total) == (Decimal("1.0000"), 12, 12)
    assert xiushui.funding_total == Decimal("47.00")
    assert by_name["鹤林社区"].progress == Decimal("0.5500")
    subsidy, award, raised = section["funding_labels"]
    assert programme.funding == {subsidy: Decimal("40.00"), award: Decimal("0.00"), raised: Decimal("152.00")}
    assert programme.funding_total == Decimal("192.00")
    assert programme.inspections_total == 47 and sorted(programme.inspections.values()) == [1, 1, 2, 43]
    assert (programme.rectifications_opened, programme.rectifications_closed) == (5, 2)
    assert programme.rectifications_overdue == 1  # 鹤林's item was due on 20 December

    with translation.override("zh-hans"):
        html = render_to_string("jiedao/report/_showcase.html", {"section": section})
    assert "<script" not in html and "href=" not in html
    assert "192.00" in html and "152.00" in html and "40.00" in html and "丛树社区" in html


def test_annual_report_query_count_does_not_grow_with_rows(demo):
    from django.contrib.auth import get_user_model

    from tests.showcase.factories import make_site

    staff = get_user_model().objects.get(username="staff")

    with CaptureQueriesContext(connection) as before:
        annual_report_section(year=2005)
    programme = Programme.objects.get(year=2005)
    for n in range(4):
        make_site(staff, programme, CommunityFactory(code=f"Y{n}"))
    with CaptureQueriesContext(connection) as after:
        section = annual_report_section(year=2005)
    assert len(section["programmes"][0].sites) == 10
    assert len(after) == len(before)
    with CaptureQueriesContext(connection) as dash:
        dashboard_figures(year=2005)
    assert len(dash) == 1
