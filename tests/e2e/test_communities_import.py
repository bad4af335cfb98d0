"""Staff import a year of community indicators: a bad file is refused whole with every bad row
named; the corrected file goes in; the figures show on the community's page."""

import pytest
from django.urls import reverse

from communities.models import CommunityYear
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "社区,年度,集体经济可支配收入(万元),农民人均纯收入(元),党员人数\n"


def test_staff_import_indicators_all_or_nothing(page, staff, community_a, community_b, tmp_path):
    bad = tmp_path / "指标.csv"
    bad.write_text(
        HEADER + "A01,2005,723.76,5406,22\n丛树社区,2005,-5,5300,18\n无名社区,2005,1,1,1\n", encoding="utf-8"
    )
    login(page, staff)
    page.get_by_role("link", name="社区", exact=True).first.click()
    page.get_by_test_id("import-export-links").get_by_role("row", name="社区年度指标").get_by_role(
        "link", name="导入"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "导入社区年度指标"
    assert_accessible(page)

    page.get_by_label("文件（CSV 或 XLSX）").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    problems = page.get_by_test_id("import-problems")
    assert "没有保存任何数据" in problems.inner_text()
    rows = problems.get_by_role("row").all_inner_texts()
    assert any(r.startswith("3") and "集体经济可支配收入(万元)" in r for r in rows)
    assert any(r.startswith("4") and "找不到社区“无名社区”" in r for r in rows)
    assert CommunityYear.objects.count() == 0
    assert_accessible(page)

    good = tmp_path / "指标-改正.csv"
    good.write_text(HEADER + "A01,2005,723.76,5406,22\n丛树社区,2005,45.30,5300,18\n", encoding="utf-8")
    page.get_by_label("文件（CSV 或 XLSX）").set_input_files(str(good))
    page.get_by_role("button", name="导入").click()
    assert "已导入 2 行：新增 2 行，更新 0 行。" in page.get_by_role("alert").first.inner_text()

    page.goto(reverse("communities:community_detail", args=[community_a.pk]))
    assert "723.76" in page.get_by_test_id("indicator-history").inner_text()
