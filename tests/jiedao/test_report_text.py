"""Issue 13 finding 9: the annual report's chapters numbered throughout, 存在问题和下步打算 drafted
from the monthly updates and edited by staff, the 落款, a month awaiting review never printed as
"not held", and 农民人均纯收入 only for former villages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.choices import CommunityKind
from communities.selectors import compute_compliance, monthly_report_section
from communities.services import monthly_update_accept, monthly_update_submit
from jiedao.models import AnnualReportText, SubDistrictYear
from jiedao.reporting.annual import annual_report_html
from jiedao.reporting.services import annual_report_text_save
from jiedao.reporting.texts import annual_report_text_of
from tests.communities.factories import CommunityYearFactory
from tests.communities.monthly_helpers import at, make_update

pytestmark = pytest.mark.django_db

EVERYTHING = {
    "branch_committee_meetings": 1,
    "group_meetings": 1,
    "general_meetings": 1,
    "party_lectures": 1,
    "theme_days": 1,
}


@pytest.fixture
def year_2005(community_a, community_b):
    community_b.kind = CommunityKind.URBAN
    community_b.save()
    for community in (community_a, community_b):
        CommunityYearFactory(community=community, year=2004, per_capita_income=Decimal("4600"))
        CommunityYearFactory(community=community, year=2005, per_capita_income=Decimal("5400"))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=100, letters_visits=3, per_capita_income=5406)


def _file(secretary, staff, community, month, accept=True, **content):
    update = make_update(secretary, community, period=date(2005, month, 1), **content)
    update = monthly_update_submit(actor=secretary, update=update, version=update.version, now=at(date(2005, month, 3)))
    if accept:
        update = monthly_update_accept(actor=staff, update=update, version=update.version, now=at(date(2005, month, 4)))
    return update


def test_a_month_awaiting_review_is_neither_held_nor_missed():
    result = compute_compliance(
        year=2005, accepted=dict.fromkeys(range(1, 12), EVERYTHING), due=range(1, 13), pending=[12]
    )
    assert result.misses == []
    assert result.pending_months == ["2005年12月月报待审核"]
    assert (result.met, result.required) == (11 * 2 + 3 * 2, 11 * 2 + 3 * 2)  # Q4's 党员大会 and 党课 wait too
    missing = compute_compliance(year=2005, accepted=dict.fromkeys(range(1, 12), EVERYTHING), due=range(1, 13))
    assert "2005年12月未召开支委会" in missing.misses  # never handed in: missing, as before


def test_the_report_names_the_december_update_under_review(year_2005, secretary_a, staff, community_a):
    for month in range(1, 12):
        _file(secretary_a, staff, community_a, month)
    _file(secretary_a, staff, community_a, 12, accept=False, collective_income=Decimal("7.00"))
    section = monthly_report_section(year=2005, today=date(2026, 1, 1))
    row = next(r for r in section["communities"] if r["name"] == community_a.name)
    assert row["pending"] == ["2005年12月月报待审核"]
    assert not any(miss.startswith("2005年12月") for miss in row["misses"])
    income = next(f for f in section["figures"] if f["name"] == "collective_income")
    assert (income["value"], income["awaiting"]) == (Decimal("5.20") * 11, Decimal("7.00"))
    html = annual_report_html(year=2005)
    row_html = html[html.index(f"<tr><td>{community_a.name}</td>") :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "2005年12月月报待审核" in row_html and "2005年12月未召开支委会" not in row_html


def test_problems_and_plans_are_drafted_from_the_latest_accepted_updates_then_kept_as_staff_edit(
    year_2005, secretary_a, staff, community_a
):
    _file(secretary_a, staff, community_a, 10, problems="十月的问题。", next_plan="十一月的计划。")
    _file(secretary_a, staff, community_a, 11, problems="活动阵地面积不足。", next_plan="新建党员活动室。")
    _file(secretary_a, staff, community_a, 12, accept=False, problems="未审核的问题。")
    draft = annual_report_text_of(year=2005)
    assert draft.pk is None
    assert draft.problems == "秀水社区：活动阵地面积不足。" and draft.plans == "秀水社区：新建党员活动室。"

    saved = annual_report_text_save(
        actor=staff,
        year=2005,
        problems="一是活动阵地不足。\n\n二是党员老化。",
        plans="新建党员活动室。",
        signatory="中共龙潭街道工作委员会",
        signed_on=date(2005, 12, 31),
    )
    assert annual_report_text_of(year=2005) == saved
    html = annual_report_html(year=2005)
    assert "<p>一是活动阵地不足。</p>" in html and "<p>二是党员老化。</p>" in html
    assert "中共龙潭街道工作委员会" in html and "2005年12月31日" in html
    assert html.index('id="outlook"') < html.index('id="appendix"')


def test_only_staff_keep_the_report_text(year_2005, secretary_a):
    with pytest.raises(PermissionDenied):
        annual_report_text_save(
            actor=secretary_a, year=2005, problems="x", plans="y", signatory="z", signed_on=date(2005, 12, 31)
        )
    assert not AnnualReportText.objects.exists()


def test_the_text_page_starts_from_the_draft_and_saves_typed_chinese_dates(client, year_2005, staff):
    client.force_login(staff)
    url = reverse("jiedao:annual_report_text", args=[2005])
    assert "党工委" in client.get(url).content.decode()
    response = client.post(
        url, {"problems": "问题", "plans": "打算", "signatory": "中共龙潭街道工作委员会", "signed_on": "2005年12月31日"}
    )
    assert response.status_code == 302
    text = AnnualReportText.objects.get(year=2005)
    assert (text.signed_on, text.updated_by) == (date(2005, 12, 31), staff)
    assert client.post(url, {"problems": "问题", "plans": "打算", "signatory": "", "signed_on": ""}).status_code == 200
    assert AnnualReportText.objects.get(year=2005).signatory == "中共龙潭街道工作委员会"


def test_chapters_number_their_sections_and_urban_communities_show_no_farmers_income(
    year_2005, community_a, community_b
):
    html = annual_report_html(year=2005)
    for chapter in ("team", "showcase", "democracy", "economy", "outlook"):
        assert f'<section id="{chapter}" class="chapter">' in html
    assert '<li class="sub">' not in html  # the contents list chapters only
    appendix = html[html.index('id="appendix"') :]
    village = appendix[appendix.index(community_a.name) : appendix.index(community_b.name)]
    urban = appendix[appendix.index(community_b.name) :]
    assert "农民人均纯收入" in village and "农民人均纯收入" not in urban
