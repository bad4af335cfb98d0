"""The annual report PDF on the demo data: what a reader finds in it (issue 7, "What it must show")."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from communities import demo as communities_demo
from communities.models import CommunityYear
from jiedao import demo as jiedao_demo
from jiedao.models import AnnualReport
from jiedao.reporting.services import annual_report_request
from tests.jiedao.report_helpers import pdf_fonts, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

DEMO_COMMUNITIES = [
    f"{name}社区"
    for name in [
        "秀水",
        "丛树",
        "建设",
        "向龙",
        "鹤林",
        "平丰",
        "和成",
        "天鹅",
        "石岭",
        "双林",
        "龙潭",
        "保和",
        "新鸿",
        "东山",
        "金龙",
        "白莲",
        "五桂",
        "洪河",
        "华林",
        "青龙",
    ]
]
CHAPTERS = [
    "目录",
    "概况",
    "一、队伍建设",
    "公推直选",
    "二、示范点创建",
    "三、基层民主政治建设",
    "四、经济社会发展",
    "附表",
]


@pytest.fixture
def demo(settings, tmp_path):
    """The whole demo sub-district, every app's demo data (seed_demo)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SUBDISTRICT_NAME = "龙潭街道"
    call_command("seed_demo", "--password", "demo-pass-123", stdout=io.StringIO())


@pytest.fixture
def demo_figures(settings, tmp_path):
    """Only the communities and the sub-district's figures (quicker than seed_demo)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    communities_demo.load(stdout=io.StringIO(), password="demo-pass-123")
    jiedao_demo.load(stdout=io.StringIO(), password="demo-pass-123")


def build(user, year, django_capture_on_commit_callbacks) -> AnnualReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = annual_report_request(actor=user, year=year)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE, report.error
    return report


def test_the_2005_report_holds_the_seeds_figures_and_follows_the_database(
    demo, staff, settings, django_capture_on_commit_callbacks
):
    first = build(staff, 2005, django_capture_on_commit_callbacks)
    first_path = Path(first.file.path)
    text = pdf_text(first_path)

    for name in DEMO_COMMUNITIES:
        assert name in text
    assert "723.76万元" in text and "450.14万元" in text and "+60.8%" in text  # collective income
    assert "5,406元" in text and "+17.3%" in text  # farmers' per-capita net income
    assert "1,768.00万元" in text and "+43.0%" in text  # fiscal revenue
    assert "69件" in text and "−12.7%" in text  # letters and visits
    for heading in [
        "目录",
        "概况",
        "一、队伍建设",
        "公推直选",
        "二、示范点创建",
        "三、基层民主政治建设",
        "四、经济社会发展",
        "五、存在问题和下步打算",
        "附表",
    ]:
        assert heading in text
    # every section of a chapter numbered in order, 公推直选 among them (issue 13 finding 9)
    assert "（一）党组织和党员队伍" in text and "（四）组织生活与月度工作报告" in text and "（五）公推直选" in text
    assert "（一）开放党工委会议" in text
    # the 落款 closes the last chapter, before the appendix
    assert text.index("五、存在问题和下步打算") < text.rindex("龙潭街道工作委员会") < text.rindex("附表")
    assert "龙潭街道党工委" in text  # the header, from settings.SUBDISTRICT_NAME
    pages = pdf_pages(first_path)
    assert f"第2页/共{pages}页" in text and f"第{pages}页/共{pages}页" in text  # the footer
    assert "第1页" not in text  # the cover has none
    fonts = pdf_fonts(first_path)
    assert "Noto-Sans-CJK-SC" in fonts and "Noto-Sans-CJK-SC-Bold" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # every font embedded
    assert first.sha256 and first.size == first_path.stat().st_size

    # Change a community's 2005 income and rebuild: a new version with the new total; the old PDF stays.
    CommunityYear.objects.filter(community__name="秀水社区", year=2005).update(collective_income=Decimal("86.26"))
    second = build(staff, 2005, django_capture_on_commit_callbacks)
    assert (second.year, second.version) == (2005, 2)
    text2 = pdf_text(Path(second.file.path))
    assert "733.76万元" in text2 and "+63.0%" in text2
    assert "723.76万元" not in text2
    assert first_path.exists() and pdf_text(first_path) == text
    assert second.sha256 != first.sha256


def test_the_command_line_builds_the_same_report_with_a_progress_bar(demo_figures, tmp_path):
    out, target = io.StringIO(), tmp_path / "out" / "report.pdf"
    call_command("annual_report", "--year", "2005", "--output", str(target), stdout=out)
    text = pdf_text(target)
    assert "723.76万元" in text and "+60.8%" in text and "秀水社区" in text
    assert "100%" in out.getvalue() and "█" in out.getvalue()
    assert list(target.parent.iterdir()) == [target]  # no temporary file left beside it


def test_the_command_line_refuses_a_year_without_figures(demo_figures):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1990"):
        call_command("annual_report", "--year", "1990", stdout=io.StringIO())
