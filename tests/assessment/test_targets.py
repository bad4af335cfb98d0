"""目标管理考核: every item's score is a count recomputed from the records; manual items need
evidence; publication freezes the scores and an appeal changes one only by a staff decision, within
its window; the final result is the appraisal's target score."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from assessment import scorers, services
from assessment.choices import AppealStatus, SheetStatus, TargetKind
from assessment.models import (
    Appraisal,
    TargetItem,
    TargetScore,
    TargetSheet,
    TrainingEvent,
    TrainingRecord,
    TrainingRequirement,
)
from assessment.selectors.targets import sheet_results
from communities.choices import MonthlyStatus
from communities.models import MonthlyUpdate, PartyMember
from communities.selectors import FILED_STATUSES, monthly_grid
from communities.services import monthly_update_accept, monthly_update_submit
from disclosure.choices import Timeliness
from disclosure.selectors import timeliness_table
from jiedao.permissions import Role
from jiedao.todo.providers import todo_for
from jiedao.workdays import add_workdays
from showcase import services as showcase_services
from tests.communities.monthly_helpers import at, make_update
from tests.showcase.factories import check_of, make_programme, make_site

pytestmark = pytest.mark.django_db

AS_OF = date(2005, 4, 20)  # January to March are due
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_sheet(staff, *, year=2005, with_bonus=True):
    sheet = services.target_sheet_save(actor=staff, sheet=TargetSheet(year=year, title="三个文明建设目标考核"))
    items = [
        ("月报按时报送", TargetKind.MONTHLY_ON_TIME, "30", {}),
        ("三会一课", TargetKind.MEETINGS, "20", {}),
        ("公开及时率", TargetKind.DISCLOSURE, "20", {"zero_at": "0.5", "full_at": "1"}),
        ("干部培训学时", TargetKind.TRAINING, "10", {}),
        ("社会治安综合治理", TargetKind.MANUAL, "20", {}),
    ]
    if with_bonus:
        items.append(("示范点创建（加分）", TargetKind.SHOWCASE, "5", {}))
    for order, (name, kind, points, params) in enumerate(items):
        services.target_item_save(
            actor=staff,
            item=TargetItem(sheet=sheet, order=order, name=name, kind=kind, max_points=Decimal(points), params=params),
        )
    return sheet


def score_of(sheet, kind, community) -> TargetScore:
    return TargetScore.objects.get(item__sheet=sheet, item__kind=kind, community=community)


def counted(score) -> tuple[Decimal, Decimal]:
    """The drill-down's own sums: what the rows behind the score add up to."""
    rows = score.evidence
    return (
        sum((Decimal(r["weight"]) for r in rows if r["counts"]), Decimal(0)),
        sum((Decimal(r["weight"]) for r in rows), Decimal(0)),
    )


def file_update(secretary, staff, community, month, submitted: date, *, accept=True, **content):
    update = make_update(secretary, community, period=date(2005, month, 1), **content)
    update = monthly_update_submit(actor=secretary, update=update, version=update.version, now=at(submitted))
    if accept:
        update = monthly_update_accept(actor=staff, update=update, version=update.version, now=at(submitted, 15))
    return update


@pytest.fixture
def monthly_world(staff, secretary_a, secretary_b, community_a, community_b):
    file_update(secretary_a, staff, community_a, 1, date(2005, 2, 3))  # on time
    file_update(secretary_a, staff, community_a, 2, date(2005, 3, 20), theme_days=0)  # late, no 主题党日
    # March: nothing from A. B hands in March on time but it is not reviewed yet.
    file_update(secretary_b, staff, community_b, 3, date(2005, 4, 4), accept=False)


def test_monthly_item_counts_the_updates_handed_in_on_time(staff, monthly_world, community_a, community_b):
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    for community in (community_a, community_b):
        score = score_of(sheet, TargetKind.MONTHLY_ON_TIME, community)
        on_time = MonthlyUpdate.objects.filter(
            community=community, period__year=2005, period__month__lte=3, status__in=FILED_STATUSES, is_late=False
        ).count()
        assert (score.numerator, score.denominator) == (on_time, 3)
        assert counted(score) == (on_time, 3) and len(score.evidence) == 3
        assert score.points == (Decimal(30) * on_time / 3).quantize(Decimal("0.01"))
    assert score_of(sheet, TargetKind.MONTHLY_ON_TIME, community_a).numerator == 1  # January only
    states = [row["state"] for row in score_of(sheet, TargetKind.MONTHLY_ON_TIME, community_a).evidence]
    assert states[0] == "按时提交" and states[1] == "逾期提交" and "未提交" in states[2]


def test_meetings_item_is_the_compliance_of_the_accepted_updates(staff, monthly_world, community_a, community_b):
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    grid = {row.community.pk: row.compliance for row in monthly_grid(user=staff, year=2005, today=AS_OF)}
    for community in (community_a, community_b):
        score = score_of(sheet, TargetKind.MEETINGS, community)
        compliance = grid[community.pk]
        assert (score.numerator, score.denominator) == (compliance.met, compliance.required)
        assert counted(score) == (compliance.met, compliance.required)
    a = score_of(sheet, TargetKind.MEETINGS, community_a)
    assert 0 < a.numerator < a.denominator  # February had no 主题党日, March no update at all
    assert any("主题党日" in row["label"] and not row["counts"] for row in a.evidence)
    assert score_of(sheet, TargetKind.MEETINGS, community_b).numerator == 0  # March not reviewed: held nothing


def test_disclosure_item_is_the_boards_timeliness_with_its_rule(staff, secretary_a, community_a, make_user):
    from tests.disclosure.factories import CatalogItemFactory, published  # test helpers, not project code

    approver = make_user("approver-t", role=Role.STAFF)
    item = CatalogItemFactory(name="党务月报", frequency="monthly", deadline_workdays=10, category="party")
    common = {"author": secretary_a, "reviewer": staff, "approver": approver, "community": community_a, "item": item}
    published(**common, period_start=date(2005, 1, 1), at_=at(date(2005, 2, 1)), title="一月")
    published(**common, period_start=date(2005, 2, 1), at_=at(date(2005, 4, 1)), title="二月")
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    score = score_of(sheet, TargetKind.DISCLOSURE, community_a)
    table = timeliness_table(year=2005, as_of=AS_OF)
    [row] = [r for r in table.rows if r["board"].community_id == community_a.pk]
    assert (score.numerator, score.denominator) == (row["total"].on_time, row["total"].expected)
    assert counted(score) == (row["total"].on_time, row["total"].expected)
    on_time_rows = [r for r in score.evidence if r["counts"]]
    assert len(on_time_rows) == row["total"].on_time >= 1
    assert all(r["state"] == Timeliness.ON_TIME.label for r in on_time_rows)
    # the rule: 50 % earns nothing, 100 % everything, linear between
    expected = max(Decimal(0), (score.value - Decimal("0.5")) / Decimal("0.5")) * 20
    assert score.points == expected.quantize(Decimal("0.01"))


def test_training_item_counts_the_cadres_reaching_the_minimum(staff, cadres_a, community_a):
    TrainingRequirement.objects.create(year=2005, minimum_hours=Decimal(24))
    long = TrainingEvent.objects.create(
        kind="class",
        title="集中培训",
        start_date=date(2005, 3, 1),
        end_date=date(2005, 3, 4),
        place="街道",
        organiser="街道党工委",
        hours=Decimal(32),
    )
    for cadre in cadres_a[:2]:
        services.training_record_save(actor=staff, record=TrainingRecord(event=long, cadre=cadre))
    TrainingRecord.objects.filter(cadre=cadres_a[1]).update(hours=Decimal(8))  # left after the first day
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=date(2006, 1, 10))
    score = score_of(sheet, TargetKind.TRAINING, community_a)
    assert (score.numerator, score.denominator) == (1, 3)  # 张国华 32 h; 李秀英 8 h; 王建明 none
    assert counted(score) == (1, 3)
    assert score.points == Decimal("3.33")


def test_showcase_bonus_follows_progress_then_acceptance_capped_by_the_programme(
    staff, inspector, community_a, community_b
):
    programme = make_programme(staff)  # standards A 50, B 30, C 20 points; bonus 5
    site = make_site(staff, programme, community_a)
    showcase_services.check_record(actor=inspector, check=check_of(site, "A"), met=True)
    sheet = make_sheet(staff)
    with pytest.raises(ValidationError):
        services.target_item_save(
            actor=staff,
            item=TargetItem(sheet=sheet, name="超额加分", kind=TargetKind.SHOWCASE, max_points=Decimal(8)),
        )
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=date(2006, 1, 10))
    score = score_of(sheet, TargetKind.SHOWCASE, community_a)
    assert (score.numerator, score.denominator) == (50, 100) and counted(score) == (50, 100)
    assert score.points == Decimal("1.25")  # 5 × 50 % of the bonus × 50 % progress
    assert score_of(sheet, TargetKind.SHOWCASE, community_b).points == 0  # no site, no bonus
    for code in ("B", "C"):
        showcase_services.check_record(actor=inspector, check=check_of(site, code), met=True)
    showcase_services.site_accept(
        actor=staff, site=site, passed=True, score=Decimal(95), accepted_on=date(2005, 12, 20), note="合格"
    )
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=date(2006, 1, 10))
    score = score_of(sheet, TargetKind.SHOWCASE, community_a)
    assert score.points == Decimal("5.00") and score.evidence[0]["state"] == "已验收"


def test_case_items_are_the_ledgers_answers_on_time_and_satisfaction(staff, community_a, community_b):
    from disclosure import services as disclosure_services
    from disclosure.models import CaseCategory, Satisfaction
    from disclosure.selectors.cases import case_figures

    today = timezone.localdate()
    year = today.year
    earlier = max(date(year, 1, 2), today - timedelta(days=60))
    on_time = disclosure_services.case_file(community=community_a, category=CaseCategory.ENVIRONMENT, body="路灯坏了")
    late = disclosure_services.case_file(
        community=community_a, category=CaseCategory.ENVIRONMENT, body="垃圾无人清运", today=earlier
    )
    disclosure_services.case_file(community=community_a, category=CaseCategory.ENVIRONMENT, body="噪音扰民")
    for new, rating in ((on_time, Satisfaction.SATISFIED), (late, Satisfaction.DISSATISFIED)):
        disclosure_services.case_reply(actor=staff, case=new.case, reply="已处理。")
        disclosure_services.case_close(actor=staff, case=new.case)
        disclosure_services.case_rate(code=new.code, satisfaction=rating)
    sheet = services.target_sheet_save(actor=staff, sheet=TargetSheet(year=year, title="目标考核"))
    for name, kind in (("诉求按期答复", TargetKind.CASES_ON_TIME), ("诉求满意度", TargetKind.CASES_SATISFACTION)):
        services.target_item_save(
            actor=staff, item=TargetItem(sheet=sheet, name=name, kind=kind, max_points=Decimal(10))
        )
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=today)
    figures = case_figures(year, community_a)
    answered = score_of(sheet, TargetKind.CASES_ON_TIME, community_a)
    rated = score_of(sheet, TargetKind.CASES_SATISFACTION, community_a)
    expected_on_time = (figures.answered_on_time, figures.total)
    assert (answered.numerator, answered.denominator) == expected_on_time == counted(answered)
    assert (rated.numerator, rated.denominator) == (figures.satisfied, figures.rated) == counted(rated)
    if earlier < today - timedelta(days=30):  # early in a year the "late" case may still be on time
        assert expected_on_time == (1, 3) and answered.points == Decimal("3.33")
    assert (figures.satisfied, figures.rated) == (1, 2) and rated.points == Decimal("5.00")
    # a community without a single 诉求 answered nothing late and left nobody dissatisfied
    assert score_of(sheet, TargetKind.CASES_ON_TIME, community_b).points == Decimal(10)


def test_dues_item_counts_the_members_paid_up_for_the_year(staff, secretary_a, community_a):
    from communities.models import DuesBase, DuesPayment
    from communities.models.dues import DuesCategory
    from communities.selectors.dues import dues_standings
    from communities.services.dues import dues_base_save, dues_payment_record
    from tests.communities.factories import PartyMemberFactory

    paid, behind, never = (PartyMemberFactory(community=community_a, name=n) for n in ("甲", "乙", "丙"))
    for member, through in ((paid, date(2005, 12, 1)), (behind, date(2005, 8, 1))):
        dues_base_save(
            actor=secretary_a,
            base=DuesBase(
                member=member, effective_from=date(2005, 1, 1), category=DuesCategory.RETIRED, monthly_base=1800
            ),
        )
        dues_payment_record(
            actor=secretary_a,
            payment=DuesPayment(member=member, amount=Decimal(9), paid_on=date(2005, 12, 20), paid_through=through),
            today=date(2005, 12, 20),
        )
    sheet = services.target_sheet_save(actor=staff, sheet=TargetSheet(year=2005, title="党费"))
    services.target_item_save(
        actor=staff, item=TargetItem(sheet=sheet, name="党费收缴", kind=TargetKind.DUES, max_points=Decimal(10))
    )
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=date(2006, 1, 6))
    score = score_of(sheet, TargetKind.DUES, community_a)
    standings = dues_standings(PartyMember.objects.filter(community=community_a), today=date(2006, 1, 1))
    owing_nothing = sum(1 for s in standings if not s.months_unpaid)
    assert (score.numerator, score.denominator) == (owing_nothing, len(standings)) == counted(score) == (2, 3)
    states = {row["label"]: (row["state"], row["counts"]) for row in score.evidence}
    assert states["乙"] == ("4个月未交", False) and states["甲"][1] and states["丙"][1]
    assert score.points == Decimal("6.67") and never.pk


def test_manual_item_without_evidence_cannot_score(staff, community_a, community_b):
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    score = score_of(sheet, TargetKind.MANUAL, community_a)
    assert score.points is None
    with pytest.raises(ValidationError) as error:
        services.target_manual_score(actor=staff, score=score, points=Decimal(18), note="无事故")
    assert "证据" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        services.target_manual_score(actor=staff, score=score, points=Decimal(18), link="/no/such/page/")
    with pytest.raises(ValidationError):
        services.target_manual_score(actor=staff, score=score, points=Decimal(21), link="/communities/")
    score.refresh_from_db()
    assert score.points is None
    services.target_manual_score(
        actor=staff,
        score=score,
        points=Decimal(18),
        note="全年无刑事案件",
        upload=SimpleUploadedFile("治安台账.pdf", PDF, "application/pdf"),
    )
    score.refresh_from_db()
    assert score.points == Decimal("18.00") and score.evidence_file and score.evidence_file_type == "application/pdf"
    other = score_of(sheet, TargetKind.MANUAL, community_b)
    services.target_manual_score(actor=staff, score=other, points=Decimal(15), link=f"/communities/{community_a.pk}/")
    other.refresh_from_db()
    assert other.points == Decimal(15) and other.evidence_link


def publishable(staff, *, on=date(2006, 1, 9)):
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=date(2006, 1, 6))
    for score in TargetScore.objects.filter(item__sheet=sheet, item__kind=TargetKind.MANUAL):
        services.target_manual_score(actor=staff, score=score, points=Decimal(16), link="/communities/")
    return services.target_sheet_publish(actor=staff, sheet=sheet, on=on)


def test_publish_needs_every_score_and_items_worth_100(staff, community_a):
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    with pytest.raises(ValidationError):  # the manual item is not scored
        services.target_sheet_publish(actor=staff, sheet=sheet)
    services.target_item_save(
        actor=staff, item=TargetItem(sheet=sheet, name="额外", kind=TargetKind.TRAINING, max_points=Decimal(5))
    )
    for score in TargetScore.objects.filter(item__sheet=sheet, item__kind=TargetKind.MANUAL):
        services.target_manual_score(actor=staff, score=score, points=Decimal(16), link="/communities/")
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    with pytest.raises(ValidationError) as error:  # 105 points
        services.target_sheet_publish(actor=staff, sheet=sheet)
    assert "100" in " ".join(error.value.messages)
    sheet.refresh_from_db()
    assert sheet.is_draft


def test_appeal_changes_a_score_only_by_a_staff_decision(staff, secretary_a, secretary_b, community_a, community_b):
    sheet = publishable(staff)
    assert sheet.appeal_until == add_workdays(date(2006, 1, 9), 10)
    score = score_of(sheet, TargetKind.MANUAL, community_a)
    with pytest.raises(ValidationError):  # published: no more scoring from the records or by hand
        services.target_sheet_score(actor=staff, sheet=sheet)
    with pytest.raises(ValidationError):
        services.target_manual_score(actor=staff, score=score, points=Decimal(20), link="/communities/")
    with pytest.raises(Http404):  # another community's score does not exist for B's secretary
        services.target_appeal_file(actor=secretary_b, score=score, reason="不对", on=date(2006, 1, 10))
    with pytest.raises(PermissionDenied):
        services.target_appeal_file(actor=staff, score=score, reason="不对", on=date(2006, 1, 10))
    appeal = services.target_appeal_file(
        actor=secretary_a, score=score, reason="全年无案件，应得满分", on=date(2006, 1, 10)
    )
    with pytest.raises(ValidationError):  # one pending appeal per score
        services.target_appeal_file(actor=secretary_a, score=score, reason="再次", on=date(2006, 1, 11))
    score.refresh_from_db()
    assert score.points == Decimal(16)  # filing changes nothing
    waiting = [(i.kind_label, i.community_name, i.url) for i in todo_for(staff)]
    assert ("待裁定申诉", community_a.name, score.get_absolute_url()) in waiting  # on staff's 我的待办
    assert "待裁定申诉" not in {i.kind_label for i in todo_for(secretary_a)}
    with pytest.raises(PermissionDenied):
        services.target_appeal_decide(actor=secretary_a, appeal=appeal, adjust=True, points=Decimal(20), reason="x")
    with pytest.raises(ValidationError):  # a decision needs its reason
        services.target_appeal_decide(actor=staff, appeal=appeal, adjust=True, points=Decimal(20), reason=" ")
    with pytest.raises(ValidationError):  # not above the item's points
        services.target_appeal_decide(actor=staff, appeal=appeal, adjust=True, points=Decimal(25), reason="核实")
    decided = services.target_appeal_decide(
        actor=staff, appeal=appeal, adjust=True, points=Decimal(19), reason="经核实派出所证明，扣1分"
    )
    score.refresh_from_db()
    assert score.points == Decimal(19) and score.computed_points == Decimal(16)
    assert (decided.status, decided.points_before, decided.points_after) == (AppealStatus.ADJUSTED, 16, 19)
    assert any("19.00" in str(entry.changes) for entry in LogEntry.objects.get_for_object(score))
    with pytest.raises(ValidationError):  # decided for good
        services.target_appeal_decide(actor=staff, appeal=decided, adjust=False, reason="改判")
    other = score_of(sheet, TargetKind.MONTHLY_ON_TIME, community_a)
    upheld = services.target_appeal_decide(
        actor=staff,
        appeal=services.target_appeal_file(actor=secretary_a, score=other, reason="有误", on=sheet.appeal_until),
        adjust=False,
        reason="按记录计分",
    )
    other.refresh_from_db()
    assert upheld.status == AppealStatus.UPHELD and other.points == other.computed_points


def test_appeal_outside_the_window_is_refused(staff, secretary_a, community_a):
    sheet = publishable(staff)
    score = score_of(sheet, TargetKind.MONTHLY_ON_TIME, community_a)
    late = add_workdays(sheet.appeal_until, 1)
    with pytest.raises(ValidationError) as error:
        services.target_appeal_file(actor=secretary_a, score=score, reason="迟到的申诉", on=late)
    assert "申诉" in " ".join(error.value.messages)
    assert not score.appeals.exists()


def test_appraisal_target_score_is_the_sheet_result(staff, open_cycle, community_a, community_b, secretary_a):
    from tests.assessment.conftest import score as score_appraisal

    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=date(2006, 1, 6))
    manual = {community_a.pk: Decimal(20), community_b.pk: Decimal(12)}
    for score in TargetScore.objects.filter(item__sheet=sheet, item__kind=TargetKind.MANUAL):
        services.target_manual_score(actor=staff, score=score, points=manual.get(score.community_id, 0), link="/")
    sheet = services.target_sheet_publish(actor=staff, sheet=sheet, on=date(2006, 1, 9))
    with pytest.raises(ValidationError):  # the window is still open
        services.target_sheet_finalise(actor=staff, sheet=sheet, on=date(2006, 1, 10))
    pending = services.target_appeal_file(
        actor=secretary_a, score=score_of(sheet, TargetKind.MANUAL, community_a), reason="复核", on=date(2006, 1, 10)
    )
    after = add_workdays(sheet.appeal_until, 1)
    with pytest.raises(ValidationError):  # an appeal awaits its decision
        services.target_sheet_finalise(actor=staff, sheet=sheet, on=after)
    services.target_appeal_decide(actor=staff, appeal=pending, adjust=False, reason="维持")
    for appraisal in open_cycle.appraisals.all():  # the committee's part; the target score is not typed
        score_appraisal(staff, appraisal, committee=85, target=0)
    written = services.target_sheet_finalise(actor=staff, sheet=sheet, on=after)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.FINAL and written == open_cycle.appraisals.count()
    results = {r.community.pk: r.target_score for r in sheet_results(sheet)}
    for appraisal in Appraisal.objects.filter(cycle=open_cycle).select_related("cadre"):
        assert appraisal.target_score == results[appraisal.cadre.community_id]
        assert any("target_score" in str(entry.changes) for entry in LogEntry.objects.get_for_object(appraisal))
    a_total = sum((s.points for s in TargetScore.objects.filter(item__sheet=sheet, community=community_a)), Decimal(0))
    assert results[community_a.pk] == a_total and results[community_a.pk] > results[community_b.pk]


def test_ranking_orders_communities_by_total_with_shared_ranks(staff, community_a, community_b):
    sheet = make_sheet(staff, with_bonus=False)
    services.target_sheet_score(actor=staff, sheet=sheet, as_of=AS_OF)
    for score in TargetScore.objects.filter(item__sheet=sheet, item__kind=TargetKind.MANUAL):
        points = Decimal(10) if score.community_id == community_b.pk else Decimal(5)
        services.target_manual_score(actor=staff, score=score, points=points, link="/")
    results = sheet_results(sheet)
    assert results[0].community == community_b and results[0].rank == 1
    assert [r.rank for r in results] == sorted(r.rank for r in results)
    assert results[1].total == results[0].total - 5


def test_points_rule_is_linear_between_its_thresholds():
    measure = scorers.Measure(numerator=Decimal(3), denominator=Decimal(4))
    rule = {"zero_at": "0.5", "full_at": "1"}
    assert scorers.points_for(TargetKind.DISCLOSURE, measure, max_points=Decimal(20), params=rule) == Decimal("10.00")
    assert scorers.points_for(TargetKind.DISCLOSURE, scorers.Measure(), max_points=Decimal(20), params=rule) == 0
    low = scorers.Measure(numerator=Decimal(1), denominator=Decimal(4))
    assert scorers.points_for(TargetKind.DISCLOSURE, low, max_points=Decimal(20), params=rule) == 0
    assert MonthlyStatus.ACCEPTED  # the scorers read the monthly statuses through the choices
