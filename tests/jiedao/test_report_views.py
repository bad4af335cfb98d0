"""The report and dashboard pages: who may see what, the progress panel, the download."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jiedao.models import AnnualReport, SubDistrictYear
from jiedao.reporting.cache import bump_figures_version
from jiedao.reporting.services import annual_report_request, annual_report_run
from tests.communities.factories import CommunityFactory, CommunityYearFactory
from tests.matrix import STAFF_ONLY, STAFF_POST, check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(community_a, community_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    CommunityYearFactory(community=community_a, year=2004, collective_income=Decimal("40.00"))
    CommunityYearFactory(community=community_a, year=2005, collective_income=Decimal("50.00"))
    CommunityYearFactory(community=community_b, year=2004, collective_income=Decimal("20.00"))
    CommunityYearFactory(community=community_b, year=2005, collective_income=Decimal("33.33"))
    SubDistrictYear.objects.create(year=2004, fiscal_revenue=1236, letters_visits=79, per_capita_income=4610)
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)


@pytest.fixture
def built(staff, figures):
    report = annual_report_request(actor=staff, year=2005)
    annual_report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE
    return report


def test_report_pages_are_for_staff_only(personas, built):
    for url in [
        reverse("jiedao:annual_report_list"),
        reverse("jiedao:annual_report_detail", args=[built.pk]),
        reverse("jiedao:annual_report_progress", args=[built.pk]),
        reverse("jiedao:annual_report_download", args=[built.pk]),
    ]:
        check_matrix(personas, url, STAFF_ONLY)
    check_matrix(personas, reverse("jiedao:annual_report_request"), STAFF_POST, method="post", data={"year": "2005"})
    assert AnnualReport.objects.filter(year=2005).count() == 2  # staff's POST made version 2, nobody else's


def test_the_dashboard_is_for_staff_and_secretaries(personas, figures):
    check_matrix(personas, reverse("jiedao:dashboard"), {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200})


def test_staff_see_every_figure_with_its_change_and_the_charts(client, staff, figures):
    client.force_login(staff)
    page = client.get(reverse("jiedao:dashboard"), {"year": 2005}).content.decode()
    assert "2005年数据看板" in page
    assert "83.33万元" in page and "60.00万元" in page and "+38.9%" in page  # collective income, both communities
    assert "5,406元" in page and "+17.3%" in page
    assert "1,768.00万元" in page and "+43.0%" in page
    assert "69件" in page and "−12.7%" in page
    assert "秀水社区" in page and "丛树社区" in page  # the chart by community
    assert page.count('role="img"') >= 4 and "<title>各社区集体经济可支配收入</title>" in page
    for label in ["月报按时提交率", "公开及时率", "示范点创建进度", "考核完成率"]:
        assert label in page


def test_a_secretary_sees_only_their_own_community(client, secretary_a, figures):
    client.force_login(secretary_a)
    page = client.get(reverse("jiedao:dashboard"), {"year": 2005}).content.decode()
    assert "秀水社区 2005年数据看板" in page
    assert "50.00万元" in page and "+25.0%" in page
    assert "丛树社区" not in page and "33.33" not in page  # not the other community
    assert "83.33" not in page and "1,768" not in page  # no sub-district totals


def test_the_dashboard_query_count_does_not_grow_with_communities(client, staff, figures, django_assert_num_queries):
    client.force_login(staff)
    url = reverse("jiedao:dashboard")
    client.get(url)  # warm the session and the role cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bump_figures_version()  # computed afresh, not served from the figures cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(20):
        community = CommunityFactory()
        CommunityYearFactory(community=community, year=2004)
        CommunityYearFactory(community=community, year=2005)
    with CaptureQueriesContext(connection) as many:  # the writes retired the cached figures
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_staff_press_generate_and_download_the_pdf(client, staff, figures, django_capture_on_commit_callbacks):
    client.force_login(staff)
    listing = client.get(reverse("jiedao:annual_report_list")).content.decode()
    assert "生成" in listing and '<option value="2005" selected>' in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jiedao:annual_report_request"), {"year": "2005"})
    report = AnnualReport.objects.get()
    assert response.url == reverse("jiedao:annual_report_detail", args=[report.pk])
    panel = client.get(reverse("jiedao:annual_report_progress", args=[report.pk])).content.decode()
    assert "100%" in panel and "下载 PDF" in panel and "hx-trigger" not in panel  # done: polling stops
    download = client.get(reverse("jiedao:annual_report_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_running_build_polls_and_a_failed_one_shows_its_error(client, staff, figures):
    client.force_login(staff)
    report = annual_report_request(actor=staff, year=2005)
    panel = client.get(reverse("jiedao:annual_report_progress", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in panel and 'aria-valuenow="0"' in panel and "排队中" in panel
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.FAILED, error="OSError: 磁盘已满")
    page = client.get(reverse("jiedao:annual_report_detail", args=[report.pk])).content.decode()
    # the panel stops polling (the menu's 我的待办 badge loads itself once with hx-trigger="load")
    assert "生成失败" in page and "OSError: 磁盘已满" in page and 'hx-trigger="every' not in page
    assert client.get(reverse("jiedao:annual_report_download", args=[report.pk])).status_code == 404


def test_a_report_whose_stylesheet_cannot_be_loaded_fails_with_that_error(client, staff, figures, monkeypatch):
    """No degraded PDF: the build fails, says which file, and offers nothing to download."""
    from jiedao.reporting import annual as reports

    real = reports.report_document
    monkeypatch.setattr(
        reports,
        "report_document",
        lambda *a, **kw: real(*a, **kw).replace(
            "</head>", '<link rel="stylesheet" href="/static/css/gone.css"></head>'
        ),
    )
    client.force_login(staff)
    report = annual_report_request(actor=staff, year=2005)
    annual_report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED and not report.file
    assert "https://portal.invalid/static/css/gone.css" in report.error
    page = client.get(reverse("jiedao:annual_report_detail", args=[report.pk])).content.decode()
    assert "生成失败" in page and "static/css/gone.css" in page
    assert client.get(reverse("jiedao:annual_report_download", args=[report.pk])).status_code == 404


def test_an_unknown_year_is_refused_with_a_message(client, staff, figures):
    client.force_login(staff)
    response = client.post(reverse("jiedao:annual_report_request"), {"year": "1990"}, follow=True)
    assert "数据库中没有 1990 年的数据" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_the_menu_offers_the_dashboard_and_the_reports(client, staff, secretary_a):
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert reverse("jiedao:dashboard") in page and reverse("jiedao:annual_report_list") in page
    client.force_login(secretary_a)
    page = client.get("/").content.decode()
    assert reverse("jiedao:dashboard") in page and reverse("jiedao:annual_report_list") not in page
