"""The dashboard and annual-report figures, on the demo data (all 20 communities' 2005)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import demo as communities_demo
from communities import demo_monthly
from communities.choices import MonthlyStatus
from communities.models import MonthlyUpdate
from communities.selectors import monthly_dashboard_figures, monthly_report_section
from jiedao import demo as jiedao_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_2005():
    out = io.StringIO()
    communities_demo.load(stdout=out, password="pw-for-tests-1")
    jiedao_demo.load(stdout=out, password="pw-for-tests-1")  # ends by loading the monthly updates


def test_demo_data_dashboard_and_report_figures(demo_2005):
    """One demo load (it takes a while), then every figure the dashboard and report show."""
    statuses = {s: MonthlyUpdate.objects.filter(period__year=2005, status=s).count() for s in MonthlyStatus.values}
    assert statuses == {"draft": 1, "submitted": 4, "returned": 2, "accepted": 232}
    assert MonthlyUpdate.objects.filter(is_late=True).count() == 6
    demo_monthly.load(stdout=io.StringIO())
    assert MonthlyUpdate.objects.count() == 239

    _dashboard_figures()
    _report_section_figures()
    _report_chapter_renders_the_figures()


def _dashboard_figures():
    with CaptureQueriesContext(connection) as queries:
        figures = monthly_dashboard_figures(year=2005, today=date(2026, 1, 1))
    # 240 community-months due; 4 submitted + 232 accepted handed in; 1 draft + 1 never filed overdue
    assert len(queries) <= 2
    assert figures == {"monthly_submission_rate": Decimal("0.9833"), "monthly_overdue": 2}
    # early in 2005 nothing is due yet
    assert monthly_dashboard_figures(year=2005, today=date(2005, 2, 5)) == {
        "monthly_submission_rate": None,
        "monthly_overdue": 0,
    }


def _report_section_figures():
    with CaptureQueriesContext(connection) as queries:
        section = monthly_report_section(year=2005, today=date(2026, 1, 1))
    assert len(queries) <= 2
    assert (section["due"], section["filed"], section["accepted"], section["late"]) == (240, 238, 232, 6)
    rows = {row["name"]: row for row in section["communities"]}
    assert len(rows) == 20
    assert (rows["石岭社区"]["late"], rows["青龙社区"]["filed"], rows["洪河社区"]["accepted"]) == (2, 11, 11)
    # the seed's figures: 723.76万元 of collective income and 69 letters and visits in 2005,
    # of which the months still not accepted are left out
    pending = MonthlyUpdate.objects.exclude(status=MonthlyStatus.ACCEPTED)
    assert section["totals"]["collective_income"] + sum(u.collective_income for u in pending) == Decimal("723.76")
    assert section["totals"]["letters_visits"] + sum(u.letters_visits for u in pending) == 69
    # the deliberate 三会一课 misses, named
    assert "2005年3月未召开支委会" in rows["白莲社区"]["misses"]
    assert "2005年6月未开展主题党日" in rows["金龙社区"]["misses"]
    assert "2005年第一季度未召开党员大会" in rows["洪河社区"]["misses"]
    assert "2005年第三季度未上党课" in rows["五桂社区"]["misses"]
    # 三会一课: 12 × (支委会, 党小组会) + 4 × (党员大会, 党课); 主题党日 (12) counted apart
    assert rows["秀水社区"]["misses"] == [] and rows["秀水社区"]["compliance_met"] == 32
    # a month handed in but not yet reviewed is neither held nor missed: its items, and its
    # quarter's, are left out and the month is named instead (issue 13 finding 9)
    awaiting = list(MonthlyUpdate.objects.filter(status__in=[MonthlyStatus.SUBMITTED, MonthlyStatus.RETURNED]))
    quarters = {(u.community_id, (u.period.month - 1) // 3) for u in awaiting}
    assert len(awaiting) == 238 - 232 and section["pending"] == len(awaiting)
    assert section["compliance_required"] == 20 * 32 - 2 * len(awaiting) - 2 * len(quarters)
    assert section["compliance_met"] == section["compliance_required"] - section["misses"]
    for update in awaiting:
        row = next(r for r in section["communities"] if r["code"] == update.community.code)
        assert f"{update.period.year}年{update.period.month}月月报待审核" in row["pending"]
        assert not any(m.startswith(f"{update.period.year}年{update.period.month}月") for m in row["misses"])
    # 主题党日 from accepted updates: the 2 months never handed in and 金龙's June held none
    assert (section["theme_required"], section["theme_met"]) == (20 * 12 - 6, 20 * 12 - 6 - 2 - 1)


def _report_chapter_renders_the_figures():
    section = monthly_report_section(year=2005, today=date(2026, 1, 1))
    html = render_to_string("jiedao/report/_monthly.html", {"section": section})
    assert "组织生活与月度工作报告" in html and "（三）" not in html  # numbered by the chapter's CSS
    assert "2005年3月未召开支委会" in html and "白莲社区" in html
    assert 'class="figures"' in html and "<script" not in html and "href=" not in html


def test_the_report_lists_a_communitys_first_misses_and_how_many_in_all(community_a, secretary_a):
    """A community that filed nothing in a year misses 44 items: the report's table lists the first
    six and the count, and says where the whole list is; a row with few misses is listed whole."""
    section = monthly_report_section(year=2005, today=date(2026, 1, 1))
    (row,) = section["communities"]
    assert len(row["misses"]) == 44 and row["misses_listed"] == row["misses"][:6]
    html = render_to_string("jiedao/report/_monthly.html", {"section": section})
    assert "2005年1月未召开支委会" in html and "2005年2月未开展主题党日" in html  # the first six
    assert "2005年3月未召开支委会" not in html and "…共44项" in html
    assert "完整清单见平台上该社区页面" in html
    held = {"branch_committee_meetings": 1, "group_meetings": 1, "theme_days": 1, "general_meetings": 1}
    MonthlyUpdate.objects.bulk_create(
        MonthlyUpdate(community=community_a, period=date(2005, month, 1), status=MonthlyStatus.ACCEPTED,
                      created_by=secretary_a, updated_by=secretary_a, first_submitted_at=timezone.now(),
                      party_lectures=1, **held)
        for month in range(1, 12)
    )  # fmt: skip
    section = monthly_report_section(year=2005, today=date(2026, 1, 1))
    html = render_to_string("jiedao/report/_monthly.html", {"section": section})
    december = ["2005年12月未召开支委会", "2005年12月未召开党小组会", "2005年12月未开展主题党日"]
    assert section["communities"][0]["misses"] == december
    assert "2005年12月未开展主题党日" in html and "共3项" not in html and "完整清单" not in html
