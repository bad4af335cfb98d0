"""The demo's 2005 target sheet (seed_demo): every community's target score matches its drill-down,
the drill-down matches the records, and the appraisals' target scores are the sheet's results."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from assessment import scorers
from assessment.choices import AppealStatus, SheetStatus, TargetKind
from assessment.models import Appraisal, TargetAppeal, TargetScore, TargetSheet
from assessment.selectors import annual_report_section
from assessment.selectors.targets import sheet_results
from communities.models import MonthlyUpdate
from communities.selectors import FILED_STATUSES
from jiedao.demo import secretary_username

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--password", "demo-pass-123", stdout=io.StringIO())


def test_the_demo_target_scores_match_their_drill_down(demo, django_user_model):
    sheet = TargetSheet.objects.get(year=2005)
    assert sheet.status == SheetStatus.FINAL
    results = {r.community.pk: r for r in sheet_results(sheet)}
    assert len(results) == 20
    scores = list(TargetScore.objects.filter(item__sheet=sheet).select_related("item", "community"))
    decided = {a.score_id: a for a in TargetAppeal.objects.filter(score__item__sheet=sheet)}
    assert {a.status for a in decided.values()} == {AppealStatus.ADJUSTED, AppealStatus.UPHELD}
    for score in scores:
        rows = score.evidence
        if not score.item.is_manual:
            counted = sum((Decimal(r["weight"]) for r in rows if r["counts"]), Decimal(0))
            expected = sum((Decimal(r["weight"]) for r in rows), Decimal(0))
            assert (counted, expected) == (score.numerator, score.denominator), score
            measure = scorers.Measure(numerator=score.numerator, denominator=score.denominator)
            measure.accepted = any(r["counts"] and Decimal(r["weight"]) == 0 for r in rows)  # the acceptance row
            if score.item.kind != TargetKind.SHOWCASE:
                measure.accepted = False
            again = scorers.points_for(
                score.item.kind, measure, max_points=score.item.max_points, params=score.item.params
            )
            assert again == score.computed_points, score
        else:
            assert score.has_evidence, score
        appeal = decided.get(score.pk)
        assert score.points == (appeal.points_after if appeal else score.computed_points), score
    for community_id, result in results.items():
        mine = [s.points for s in scores if s.community_id == community_id]
        assert result.total == sum(mine, Decimal(0))
    # the records themselves: 月报按时报送 is the count of the updates handed in on time
    for score in (s for s in scores if s.item.kind == TargetKind.MONTHLY_ON_TIME):
        on_time = MonthlyUpdate.objects.filter(
            community=score.community, period__year=2005, status__in=FILED_STATUSES, is_late=False
        ).count()
        assert score.numerator == on_time and score.denominator == 12
    # the appraisal's target score is the community's result, capped at 100
    appraisals = Appraisal.objects.filter(cycle__year=2005).select_related("cadre", "cycle")
    assert appraisals.exists() and all(a.cycle.is_closed for a in appraisals)
    for appraisal in appraisals:
        assert appraisal.target_score == results[appraisal.cadre.community_id].target_score
    # the demo's weak cadre stays 不称职 in both years with a target score from the evidence
    flags = {(f["community"], f["flag"]) for f in annual_report_section(year=2005)["appraisal"]["flags"]}
    assert ("洪河社区", "连续两年不称职") in flags
    # the secretary's page shows the same figures
    score = next(s for s in scores if s.community.name == "平丰社区" and s.item.is_manual and s.pk in decided)
    client = Client()
    client.force_login(django_user_model.objects.get(username=secretary_username(score.community)))
    page = client.get(f"/assessment/targets/{sheet.pk}/communities/{score.community_id}/").content.decode()
    assert f"总分{results[score.community_id].total}分" in page
    detail = client.get(score.get_absolute_url()).content.decode()
    assert decided[score.pk].decision_reason in detail and str(score.points) in detail
