"""Every URL of the sub-district pages (namespace jiedao) is in a permission matrix."""

import pytest
from django.urls import reverse

from jiedao.models import AnnualReport, SubDistrictYear
from tests.matrix import STAFF_ONLY, STAFF_POST, assert_matrix_covers, check_matrix

pytestmark = pytest.mark.django_db


def test_permission_matrix_over_every_jiedao_url(personas, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicators = SubDistrictYear.objects.create(
        year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406
    )
    report = AnnualReport.objects.create(year=2005, version=1, requested_by=staff)
    checked = set()

    def check(name, args, expected, method="get", data=None):
        checked.add(name)
        check_matrix(personas, reverse(f"jiedao:{name}", args=args), expected, method, data)

    check("subdistrict_year_list", [], STAFF_ONLY)
    check("subdistrict_year_create", [], STAFF_ONLY)
    check("subdistrict_year_update", [indicators.pk], STAFF_ONLY)
    check("subdistrict_year_import", [], STAFF_ONLY)
    check("subdistrict_year_export", [], STAFF_ONLY)
    check("subdistrict_year_template", [], STAFF_ONLY)
    check("audit_log", [], {**STAFF_ONLY, "auditor": 200})
    check("audit_log_export", [], {**STAFF_ONLY, "auditor": 200})
    check("backup_status", [], STAFF_ONLY)
    check("dashboard", [], {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200})
    check("annual_report_list", [], STAFF_ONLY)
    check("annual_report_detail", [report.pk], STAFF_ONLY)
    check("annual_report_progress", [report.pk], STAFF_ONLY)
    check("annual_report_download", [report.pk], {**STAFF_ONLY, "staff": 404})  # not built yet
    check("annual_report_request", [], STAFF_POST, "post", {"year": "2005"})
    check("annual_report_text", [2005], STAFF_ONLY)
    check("annual_report_text", [1990], {**STAFF_ONLY, "staff": 404})  # a year with no figures
    assert_matrix_covers("jiedao", checked)


def test_the_coverage_check_names_what_is_missing():
    with pytest.raises(AssertionError, match="audit_log"):
        assert_matrix_covers("jiedao", {"dashboard"})
    with pytest.raises(AssertionError, match="no_such_page"):
        from tests.matrix import url_names_of

        assert_matrix_covers("jiedao", url_names_of("jiedao") | {"no_such_page"})
