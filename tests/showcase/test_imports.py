"""Standards and funding lines in and out of spreadsheets: all or nothing, services' rules hold."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiedao.imports import export_bytes, run_import
from showcase import services
from showcase.models import Funding, Standard
from showcase.resources import FundingResource, StandardResource
from tests.matrix import STAFF_ONLY, check_matrix
from tests.showcase.factories import check_of

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


STANDARDS_HEADER = "年度,编号,类别,名称,说明,分值,必备\n"
FUNDING_HEADER = "年度,社区,来源,金额(万元),日期,用途\n"


def test_standards_import_creates_rows_and_checks(staff, programme, site_a):
    outcome = run_import(
        StandardResource(actor=staff),
        csv_file(STANDARDS_HEADER + "2005,H1,硬件,A类党员活动室,按A类标准,15,是\n2005,S1,软件,规章制度上墙,,10,否\n"),
    )
    assert outcome.ok and outcome.created == 2
    standard = Standard.objects.get(programme=programme, code="H1")
    assert (standard.category, standard.points, standard.required) == ("hardware", 15, True)
    assert site_a.checks.filter(standard__code__in=["H1", "S1"]).count() == 2  # through the service


def test_one_bad_standard_row_writes_nothing_and_lists_every_bad_row(staff, programme):
    outcome = run_import(
        StandardResource(actor=staff),
        csv_file(
            STANDARDS_HEADER + "2005,H1,硬件,活动室,,15,是\n2005,H2,门面,阅览室,,5,是\n1999,H3,硬件,电教室,,abc,是\n"
        ),
    )
    assert not outcome.ok
    assert {p.line for p in outcome.problems} == {3, 4}
    assert {p.column for p in outcome.problems} >= {"类别", "年度", "分值"}
    assert not Standard.objects.filter(code__startswith="H").exists()


def test_standards_export_reimports_unchanged(staff, programme):
    services.standards_load_defaults(actor=staff, programme=programme)
    before = list(Standard.objects.order_by("id").values())
    data = export_bytes(StandardResource(actor=staff), "xlsx")
    outcome = run_import(StandardResource(actor=staff), SimpleUploadedFile("standards.xlsx", data))
    assert outcome.ok and outcome.created == 0 and outcome.updated == len(before)
    after = list(Standard.objects.order_by("id").values())
    assert [{k: v for k, v in row.items() if k != "updated_at"} for row in after] == [
        {k: v for k, v in row.items() if k != "updated_at"} for row in before
    ]


def test_funding_import_by_community_name_or_code(staff, site_a, site_b):
    outcome = run_import(
        FundingResource(actor=staff),
        csv_file(
            FUNDING_HEADER
            + "2005,秀水社区,街道补助,12.5,2005-04-15,经费补助\n2005,B01,社区自筹,30,2005-06-30,活动室建设\n"
        ),
    )
    assert outcome.ok and outcome.created == 2
    assert Funding.objects.get(site=site_b).amount == Decimal("30.00")


def test_an_award_row_for_a_site_not_accepted_fails_the_whole_file(staff, site_a, site_b):
    outcome = run_import(
        FundingResource(actor=staff),
        csv_file(
            FUNDING_HEADER
            + "2005,秀水社区,街道补助,12.5,2005-04-15,经费补助\n2005,丛树社区,以奖代补奖励,5,2005-12-25,奖励\n"
        ),
    )
    assert not outcome.ok
    (problem,) = outcome.problems
    assert problem.line == 3 and problem.column == "来源"
    assert not Funding.objects.exists()


def test_an_award_row_for_an_accepted_site_is_imported(staff, inspector, site_a):
    for code in ("A", "B"):
        services.check_record(actor=inspector, check=check_of(site_a, code), met=True)
    services.site_accept(actor=staff, site=site_a, passed=True, score=Decimal("95"), accepted_on=date(2005, 12, 20))
    outcome = run_import(
        FundingResource(actor=staff), csv_file(FUNDING_HEADER + "2005,秀水社区,以奖代补奖励,5,2005-12-25,奖励\n")
    )
    assert outcome.ok and Funding.objects.get().source == "award"


def test_funding_export_reimports_unchanged_and_escapes_formulae(staff, site_a):
    services.funding_save(
        actor=staff,
        funding=Funding(
            site=site_a, source="subsidy", amount=Decimal("15"), date=date(2005, 4, 15), purpose="=HYPERLINK(1)"
        ),
    )
    data = export_bytes(FundingResource(actor=staff), "csv")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "秀水社区" in text and "街道补助" in text
    outcome = run_import(FundingResource(actor=staff), SimpleUploadedFile("funding.csv", data))
    assert outcome.ok and outcome.created == 0 and outcome.updated == 1
    assert Funding.objects.get().purpose == "=HYPERLINK(1)"


def test_a_community_without_a_site_that_year_is_reported(staff, site_a):
    outcome = run_import(
        FundingResource(actor=staff), csv_file(FUNDING_HEADER + "2006,秀水社区,街道补助,1,2006-01-01,补助\n")
    )
    assert not outcome.ok and outcome.problems[0].column == "社区"


def test_import_and_export_urls_are_staff_only(personas, programme):
    for name in ("standard", "funding"):
        for action in ("import", "export", "template"):
            check_matrix(personas, reverse(f"showcase:{name}_{action}"), STAFF_ONLY)


def test_the_import_page_lists_bad_rows(client, staff, site_a):
    client.force_login(staff)
    upload = csv_file(FUNDING_HEADER + "2005,秀水社区,以奖代补奖励,5,2005-12-25,奖励\n")
    response = client.post(reverse("showcase:funding_import"), {"file": upload})
    assert response.status_code == 400
    assert "以奖代补" in response.content.decode()
    assert not Funding.objects.exists()


def test_the_funding_download_is_private_and_every_dangerous_cell_is_escaped(client, staff, site_a):
    for purpose in ("@SUM(1)", "\n=1+1", "'=already quoted"):
        services.funding_save(
            actor=staff,
            funding=Funding(
                site=site_a, source="subsidy", amount=Decimal("1"), date=date(2005, 4, 15), purpose=purpose
            ),
        )
    client.force_login(staff)
    response = client.get(reverse("showcase:funding_export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8-sig")
    assert "'@SUM(1)" in text and "'\n=1+1" in text and "''=already quoted" in text
