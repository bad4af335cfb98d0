"""Staff open the dashboard, press 生成 for 2005, watch the progress bar and download the PDF."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jiedao.models import AnnualReport, SubDistrictYear
from jiedao.reporting.services import annual_report_request, annual_report_run
from tests.communities.factories import CommunityYearFactory
from tests.e2e.conftest import assert_accessible, login
from tests.jiedao.report_helpers import ensure_role_groups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()


@pytest.fixture
def figures(community_a, community_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for community, old, new in ((community_a, "62.40", "76.26"), (community_b, "45.30", "72.80")):
        CommunityYearFactory(community=community, year=2004, collective_income=Decimal(old))
        CommunityYearFactory(community=community, year=2005, collective_income=Decimal(new))
    SubDistrictYear.objects.create(year=2004, fiscal_revenue=1236, letters_visits=79, per_capita_income=4610)
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)


def test_staff_generate_the_annual_report_and_download_it(page, staff, figures, tmp_path):
    login(page, staff)
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2005年数据看板")
    row = page.locator('[data-figure="collective_income"]')
    expect(row).to_contain_text("149.06万元")
    expect(row).to_contain_text("+38.4%")
    expect(page.get_by_role("img", name="各社区集体经济可支配收入", exact=False).first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_label("年度").select_option("2005")
    assert_accessible(page)
    page.get_by_role("button", name="生成").click()  # eager in tests: built before the page shows
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf") and "2005" in download.suggested_filename
    target = tmp_path / "downloaded.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert_accessible(page)


def test_the_progress_bar_follows_a_running_build_live(page, staff, figures):
    report = annual_report_request(actor=staff, year=2005)  # committed; in tests the task is eager,
    AnnualReport.objects.filter(pk=report.pk).update(  # so put it back as a worker would find it
        status=AnnualReport.Status.QUEUED, progress=0, stage="排队中", file="", sha256=""
    )
    login(page, staff)
    page.goto(reverse("jiedao:annual_report_detail", args=[report.pk]))
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.RUNNING, progress=40, stage="绘制图表")
    expect(bar).to_have_attribute("aria-valuenow", "40")  # htmx polls: no reload
    expect(page.locator("#report-progress")).to_contain_text("绘制图表")
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.QUEUED)
    annual_report_run(report_id=report.pk)
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "100")


def test_a_secretary_is_refused_the_reports_and_sees_only_their_community(page, secretary_a, figures):
    login(page, secretary_a)
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("秀水社区 2005年数据看板")
    assert "丛树社区" not in page.content()
    assert_accessible(page)
    response = page.goto(reverse("jiedao:annual_report_list"))
    assert response.status == 403
