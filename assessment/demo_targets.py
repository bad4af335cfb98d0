"""Demo data: the 2005 target sheet (目标管理考核 / 三个文明建设考核), scored from the demo records.

Runs after every other demo module (it reads the monthly updates, the disclosure boards, the
training ledger and the demonstration sites): the evidence items are scored from those records as
they stood on 6 January 2006, the two manual items carry a link to the community's page as their
evidence, the sheet is published on 9 January 2006, two secretaries appeal (one score is adjusted,
one upheld), and once the window has closed the sheet is finalised — which writes each community's
result into its cadres' 2005 appraisals — and the 2005 appraisal is closed. Idempotent: a final
2005 sheet is left alone.
"""

import random
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse

from communities.models import Community
from jiedao.demo import secretary_username
from jiedao.workdays import add_workdays
from showcase.models import Programme

from . import services
from .choices import CycleStatus, SheetStatus, TargetKind
from .models import AppraisalCycle, TargetItem, TargetScore, TargetSheet

YEAR = 2005
SCORED_ON = date(2006, 1, 6)
PUBLISHED_ON = date(2006, 1, 9)

# name, kind, points, rule, description
ITEMS = [
    (
        "月报按时报送",
        TargetKind.MONTHLY_ON_TIME,
        "10",
        {},
        "每月5日前报送上月工作月报，按时报送的月份占应报月份的比例计分。",
    ),
    ("三会一课", TargetKind.MEETINGS, "15", {}, "按已通过的月报统计支委会、党小组会、党员大会和党课的落实情况。"),
    (
        "党务居务财务公开",
        TargetKind.DISCLOSURE,
        "15",
        {"zero_at": "0.6", "full_at": "1"},
        "公开及时率60%及以下不得分，100%得满分，其间按比例计分。",
    ),
    ("干部教育培训", TargetKind.TRAINING, "10", {}, "社区干部全年参加培训达到规定学时的比例。"),
    ("党费收缴", TargetKind.DUES, "10", {}, "年末在册党员中全年党费交清的比例。"),
    ("诉求按期答复", TargetKind.CASES_ON_TIME, "10", {}, "当年受理的群众诉求在答复期限内答复的比例。"),
    ("诉求答复满意度", TargetKind.CASES_SATISFACTION, "5", {}, "已评价诉求中“满意”“基本满意”的比例。"),
    ("社会治安综合治理", TargetKind.MANUAL, "10", {}, "由街道综治办按全年案件、调处情况评分，附证明材料。"),
    ("集体经济发展", TargetKind.MANUAL, "15", {}, "按集体经济可支配收入及增幅评分，以社区年度指标为依据。"),
]
BONUS = (
    "党建示范点创建（加分）",
    TargetKind.SHOWCASE,
    {"progress_share": "0.5"},
    "验收合格得全部加分；未验收按创建进度的一半计分。",
)


def load(*, stdout, password: str) -> None:
    sheet = TargetSheet.objects.filter(year=YEAR).first()
    if sheet is not None and sheet.status == SheetStatus.FINAL:
        stdout.write("  targets: the 2005 target sheet is already final")
        return
    users = get_user_model().objects
    staff = users.get(username="staff")
    rng = random.Random(2006)
    if sheet is None:
        sheet = services.target_sheet_save(
            actor=staff, sheet=TargetSheet(year=YEAR, title="三个文明建设目标管理考核", appeal_workdays=10)
        )
    if sheet.is_draft:
        _items(staff, sheet)
        services.target_sheet_score(actor=staff, sheet=sheet, as_of=SCORED_ON)
        _manual(staff, sheet, rng)
        sheet = services.target_sheet_publish(actor=staff, sheet=sheet, on=PUBLISHED_ON)
        _appeals(staff, sheet)
    cycle = AppraisalCycle.objects.filter(year=YEAR).first()
    if cycle is None or cycle.status != CycleStatus.OPEN:
        stdout.write("  targets: the 2005 sheet is published; no open 2005 appraisal to receive it")
        return
    written = services.target_sheet_finalise(actor=staff, sheet=sheet, on=add_workdays(sheet.appeal_until, 1))
    services.cycle_close(actor=staff, cycle=cycle)
    stdout.write(f"  targets: the 2005 sheet scored and final; {written} appraisals received their target score")


def _items(staff, sheet):
    existing = set(sheet.items.values_list("name", flat=True))
    rows = [(name, kind, Decimal(points), rule, text) for name, kind, points, rule, text in ITEMS]
    programme = Programme.objects.filter(year=YEAR).first()
    if programme is not None:  # the bonus the programme promised: 年底以加分形式计入三个文明建设考核总分
        name, kind, rule, text = BONUS
        rows.append((name, kind, programme.bonus_points, rule, text))
    for order, (name, kind, points, rule, text) in enumerate(rows, start=1):
        if name in existing:
            continue
        services.target_item_save(
            actor=staff,
            item=TargetItem(
                sheet=sheet, order=order, name=name, kind=kind, max_points=points, params=rule, description=text
            ),
        )


def _manual(staff, sheet, rng):
    """The two manual items, with the community's page (its yearly indicators) as the evidence."""
    weak = {"SQ18"}  # 洪河: the weakest community of the demo, as in the appraisal
    scores = (
        TargetScore.objects.filter(item__sheet=sheet, item__kind=TargetKind.MANUAL, points__isnull=True)
        .select_related("item", "community")
        .order_by("item__order", "community__code")
    )
    for score in scores:
        top = score.item.max_points
        low = Decimal("0.55") if score.community.code in weak else Decimal("0.8")
        share = low + (Decimal(1) - low) * Decimal(rng.randrange(0, 101)) / 100
        services.target_manual_score(
            actor=staff,
            score=score,
            points=(top * share).quantize(Decimal("0.5")),
            note=f"{score.community.name}{YEAR}年{score.item.name}考核评分，依据社区年度指标及相关台账。",
            link=reverse("communities:community_detail", args=[score.community.pk]),
        )


def _appeals(staff, sheet):
    """平丰 appeals its 社会治安 score and gets a point back; 鹤林 appeals its monthly score and the
    score is upheld (the records show the late months)."""
    users = get_user_model().objects
    for name, item, reason, adjust, decision in [
        (
            "平丰社区",
            "社会治安综合治理",
            "本年度辖区无刑事案件，调处矛盾纠纷12起，请求复核。",
            True,
            "经综治办核实，加1分。",
        ),
        ("鹤林社区", "月报按时报送", "个别月份因网络故障延迟报送，请求酌情考虑。", False, "按报送记录计分，维持原分。"),
    ]:
        community = Community.objects.filter(name=name).first()
        if community is None:
            continue
        score = TargetScore.objects.get(item__sheet=sheet, item__name=item, community=community)
        secretary = users.get(username=secretary_username(community))
        appeal = services.target_appeal_file(actor=secretary, score=score, reason=reason, on=date(2006, 1, 12))
        points = min(score.item.max_points, (score.points or Decimal(0)) + 1) if adjust else None
        services.target_appeal_decide(actor=staff, appeal=appeal, adjust=adjust, points=points, reason=decision)
