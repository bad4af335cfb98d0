"""The target-sheet pages: every URL × every persona (a secretary sees their own community's scores
and appeals only; another community's are 404), the drill-down matches the score, an appeal and its
decision through the pages, and flat query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.choices import AppealStatus, TargetKind
from assessment.models import TargetScore, TargetSheet
from tests.assessment.test_targets import PDF, make_sheet, score_of
from tests.communities.factories import CommunityFactory
from tests.matrix import STAFF_ONLY, STAFF_POST, check_matrix, url_names_of

pytestmark = pytest.mark.django_db

OWN = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
NOBODYS_YET = {**STAFF_ONLY, "secretary_a": 404, "secretary_b": 404}
LIST = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200}
APPEAL = {**STAFF_ONLY, "staff": 403, "secretary_a": 200, "secretary_b": 404}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def publish_now(staff, sheet):
    """Score and publish with today's window, the manual scores carrying a file or a link."""
    services.target_sheet_score(actor=staff, sheet=sheet)
    for score in TargetScore.objects.filter(item__sheet=sheet, item__kind=TargetKind.MANUAL):
        services.target_manual_score(
            actor=staff,
            score=score,
            points=Decimal(15),
            note="台账",
            upload=SimpleUploadedFile("台账.pdf", PDF, "application/pdf"),
        )
    return services.target_sheet_publish(actor=staff, sheet=sheet)


@pytest.fixture
def published(staff, community_a, community_b):
    return publish_now(staff, make_sheet(staff, year=timezone.localdate().year, with_bonus=False))


TARGET_URLS = {name for name in url_names_of("assessment") if name.startswith("target_")}


def test_permission_matrix_over_every_target_url(personas, staff, secretary_a, published, community_a, community_b):
    draft = make_sheet(staff, year=2003, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=draft, as_of=date(2004, 1, 10))
    manual = score_of(draft, TargetKind.MANUAL, community_a)
    item = draft.items.get(kind=TargetKind.TRAINING)
    score_a = score_of(published, TargetKind.MANUAL, community_a)
    score_b = score_of(published, TargetKind.MANUAL, community_b)
    checked = set()

    def check(name, args, expected, method="get", data=None):
        checked.add(name)
        check_matrix(personas, reverse(f"assessment:{name}", args=args), expected, method, data)

    check("target_sheet_list", [], LIST)
    check("target_sheet_create", [], STAFF_ONLY)
    check("target_sheet_detail", [published.pk], STAFF_ONLY)
    check("target_sheet_update", [draft.pk], STAFF_ONLY)
    check("target_item_create", [draft.pk], STAFF_ONLY)
    check("target_item_update", [item.pk], STAFF_ONLY)
    check("target_score_manual", [manual.pk], STAFF_ONLY)
    check("target_community", [published.pk, community_a.pk], OWN)
    check("target_score_detail", [score_a.pk], OWN)
    check("target_score_evidence", [score_a.pk], OWN)
    check("target_appeal_create", [score_a.pk], APPEAL)
    appeal = services.target_appeal_file(actor=secretary_a, score=score_a, reason="请复核")
    check("target_appeal_decide", [appeal.pk], STAFF_ONLY)
    check("target_sheet_score", [draft.pk], STAFF_POST, "post")
    check("target_sheet_publish", [draft.pk], STAFF_POST, "post")  # refused (manual items unscored): back to the sheet
    check("target_sheet_finalise", [published.pk], STAFF_POST, "post")  # refused (window open): back to the sheet
    check("target_item_delete", [item.pk], STAFF_POST, "post")
    assert checked == TARGET_URLS  # every target-sheet URL is here (the others: tests/assessment/test_matrix.py)
    # B's scores, a draft's scores and a published sheet's forms do not exist for the others
    check_matrix(
        personas,
        reverse("assessment:target_score_detail", args=[score_b.pk]),
        {**OWN, "secretary_a": 404, "secretary_b": 200},
    )
    check_matrix(personas, reverse("assessment:target_community", args=[draft.pk, community_a.pk]), NOBODYS_YET)
    check_matrix(personas, reverse("assessment:target_score_detail", args=[manual.pk]), NOBODYS_YET)
    check_matrix(personas, reverse("assessment:target_sheet_update", args=[published.pk]), {**STAFF_ONLY, "staff": 404})
    check_matrix(personas, reverse("assessment:target_score_manual", args=[score_a.pk]), {**STAFF_ONLY, "staff": 404})


def test_the_drill_down_shows_the_records_behind_the_number(staff, secretary_a, published, community_a):
    score = score_of(published, TargetKind.MONTHLY_ON_TIME, community_a)
    client = Client()
    client.force_login(secretary_a)
    page = client.get(reverse("assessment:target_score_detail", args=[score.pk])).content.decode()
    rows = page.split('data-testid="score-records"')[1].split("</table>")[0]
    assert rows.count("<tr>") - 1 == len(score.evidence)  # the header row, then one row per record
    assert rows.count("✓") == score.numerator
    assert f"{score.numerator.normalize():f} / {score.denominator.normalize():f}" in page
    community_page = client.get(reverse("assessment:target_community", args=[published.pk, community_a.pk]))
    assert community_page.status_code == 200 and "排名" not in community_page.content.decode()  # the ranking is staff's


def test_a_secretary_appeals_and_staff_decide_through_the_pages(staff, secretary_a, published, community_a):
    score = score_of(published, TargetKind.MANUAL, community_a)
    secretary, office = Client(), Client()
    secretary.force_login(secretary_a)
    office.force_login(staff)
    url = reverse("assessment:target_appeal_create", args=[score.pk])
    assert secretary.post(url, {"reason": ""}).status_code == 200  # the form again, nothing filed
    assert not score.appeals.exists()
    assert secretary.post(url, {"reason": "已整改到位，请复核"}).status_code == 302
    appeal = score.appeals.get()
    ranking = office.get(published.get_absolute_url()).content.decode()
    assert "待裁定的申诉" in ranking and reverse("assessment:target_appeal_decide", args=[appeal.pk]) in ranking
    decide = reverse("assessment:target_appeal_decide", args=[appeal.pk])
    response = office.post(decide, {"adjust": "1", "points": "", "decision_reason": "核实"})
    assert response.status_code == 200 and "请填写调整后的得分" in response.content.decode()
    assert office.post(decide, {"adjust": "1", "points": "17.5", "decision_reason": "经核实加2.5分"}).status_code == 302
    appeal.refresh_from_db()
    score.refresh_from_db()
    assert appeal.status == AppealStatus.ADJUSTED and score.points == Decimal("17.5")
    assert office.get(decide).status_code == 404  # decided for good: no form any more
    page = secretary.get(score.get_absolute_url()).content.decode()
    assert "经核实加2.5分" in page and "17.50" in page


def test_the_appraisal_form_no_longer_types_the_target_score(staff, open_cycle):
    appraisal = open_cycle.appraisals.first()
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("assessment:appraisal_update", args=[appraisal.pk])).content.decode()
    assert 'name="target_score"' not in page and 'name="score_de"' in page
    assert "由本年度目标管理考核表定稿后写入" in page
    data = dict.fromkeys(["score_de", "score_neng", "score_qin", "score_ji", "score_lian"], "90")
    assert client.post(reverse("assessment:appraisal_update", args=[appraisal.pk]), {**data, "target_score": "99"})
    appraisal.refresh_from_db()
    assert appraisal.score_de == 90 and appraisal.target_score is None


def test_ranking_and_community_pages_keep_their_query_counts(
    staff, published, community_a, django_assert_max_num_queries
):
    client = Client()
    client.force_login(staff)
    url = published.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(6):
        CommunityFactory()
    services.target_sheet_save(actor=staff, sheet=TargetSheet(year=2001, title="空表"))  # another sheet
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    page = reverse("assessment:target_community", args=[published.pk, community_a.pk])
    with django_assert_max_num_queries(20):
        assert client.get(page).status_code == 200


def test_the_committee_column_is_the_working_committee_evaluation(staff, closed):
    """Issue 13 finding 3: the tables that set pay coefficients call the committee's score what the
    weights call it, 街道党工委评价 (not the cadre's own 所在班子)."""
    client = Client()
    client.force_login(staff)
    for name in ("cycle_detail", "cycle_results"):
        page = client.get(reverse(f"assessment:{name}", args=[closed.pk])).content.decode()
        assert "街道党工委评价" in page and "所在班子" not in page, name
