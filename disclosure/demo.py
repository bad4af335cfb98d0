"""Demo data for the disclosure boards: the catalogue, the notices of 2005 on every board (most on
time, some late, a few missing, one corrected, one withdrawn), the 16 open working-committee
meetings of 2005 from the seed, monthly financial disclosures with reconciled 收支明细, and a few
residents' questions. Idempotent: the 2005 notices are made once.

The bulk of the notices is written with bulk_create for speed (several hundred notices with their
review records); the meetings, the correction, the withdrawal and the questions go through the
services, exactly as the pages would do it.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F, OuterRef, Subquery

from communities.models import Community
from jiedao.models import Profile
from jiedao.permissions import ROLE_GROUPS, Role

from . import demo_decisions, services
from .catalogue import install
from .choices import Category, FeedbackStatus, Frequency, LineKind, MeetingKind, NoticeStatus, StepAction
from .models import Board, CatalogItem, Feedback, FinanceLine, Notice, NoticeRevision, NoticeStep, OpenMeeting
from .periods import calendar_for_year, periods_of_year
from .search import search_text_of

YEAR = 2005
TZ = ZoneInfo("Asia/Shanghai")
APPROVER = ("shenpi", "街道办 陈副主任（审批）")

# The 16 open working-committee meetings of 2005 (seed: 地区经济发展、北湖深度开发、新村建设、场镇改造、路网建设…)
MEETINGS = [
    (date(2005, 1, 18), "2005年地区经济发展目标", "讨论“一年起飞、两年翻番、三年一流”的年度目标分解"),
    (date(2005, 2, 22), "北湖核心景区深度开发方案", "听取北湖景区开发规划及涉及社区的土地流转安排"),
    (date(2005, 3, 15), "党建示范点创建工作方案", "确定秀水、丛树、建设、向龙、鹤林、平丰六个试点社区"),
    (date(2005, 4, 12), "新村建设规划", "讨论新村选址、安置标准和建设时序"),
    (date(2005, 5, 10), "场镇改造实施方案", "听取场镇改造范围、拆迁补偿标准的意见"),
    (date(2005, 5, 31), "路网建设计划", "讨论辖区道路建设项目和资金筹措"),
    (date(2005, 6, 21), "都市工业园入驻企业服务", "讨论工业园配套服务及失地农民就业岗位"),
    (date(2005, 7, 12), "失地农民再就业培训", "研究再就业培训计划和就业援助措施"),
    (date(2005, 8, 9), "示范点创建经费补助", "讨论建设、秀水、平丰社区创建经费补助40万元"),
    (date(2005, 8, 30), "社区集体资产管理办法", "听取集体资产清理和经营管理办法的意见"),
    (date(2005, 9, 13), "平安社区创建", "研究社会治安综合治理和平安社区创建措施"),
    (date(2005, 10, 11), "北湖北岛开发建设理事会", "讨论在和成社区成立开发建设理事会"),
    (date(2005, 10, 25), "无公害蔬菜基地建设", "听取平丰社区无公害蔬菜基地建设情况"),
    (date(2005, 11, 15), "干部培训和学历教育", "研究社区干部培训和学历教育安排"),
    (date(2005, 12, 6), "社区干部年度考核和民主测评", "讨论社区两委年度考核和民主测评办法"),
    (date(2005, 12, 27), "2006年工作思路", "听取党员代表、群众代表对2006年工作的意见"),
]

INCOME_ITEMS = ["集体资产租赁收入", "上级补助收入", "集体经营收入", "其他收入"]
EXPENSE_ITEMS = ["办公经费", "公益事业支出", "干部报酬", "党员活动经费", "环境卫生支出"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "国华建明秀英志强丽娟文军永红德平玉兰海燕"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _approver(password: str):
    user, created = get_user_model().objects.get_or_create(
        username=APPROVER[0], defaults={"first_name": APPROVER[1], "email": f"{APPROVER[0]}@jiedao.invalid"}
    )
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role.STAFF])[0])
    Profile.objects.get_or_create(user=user)
    return user


def _publish_day(rng: random.Random, calendar, period_end: date, deadline: date) -> date | None:
    roll = rng.random()
    if roll < 0.03:
        return None  # never published: missing
    if roll < 0.12:
        return deadline + timedelta(days=rng.randrange(1, 20))  # late
    candidates = [d for d in calendar.days if period_end < d <= deadline]
    return rng.choice(candidates) if candidates else deadline


def _body(item: CatalogItem, board: Board, label: str, rng: random.Random) -> str:
    if item.name == "最低生活保障对象":
        rows = "".join(
            f"<tr><td>{rng.choice(SURNAMES)}{rng.choice(GIVEN)}</td><td>{rng.randrange(1, 5)}</td>"
            f"<td>{rng.randrange(150, 400)}</td></tr>"
            for _ in range(rng.randrange(3, 7))
        )
        return (
            f"<p>{board.name}{label}最低生活保障对象公示如下（不公开身份证号等个人信息）：</p>"
            f"<table><thead><tr><th>户主</th><th>保障人数</th><th>月保障金额（元）</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><p>如有异议，请在公示期内向社区居委会反映。</p>"
        )
    return f"<p>根据公开目录，现将{board.name}{label}{item.name}公开如下：</p><p>{item.content}。</p>"


def _label(frequency: str, start: date) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{start.year}年{start.month}月"
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if frequency == Frequency.HALF_YEARLY:
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    return f"{start.year}年度"


def load(*, stdout, password: str) -> None:
    install(CatalogItem)
    services.subdistrict_board()
    for community in Community.objects.all():
        services.board_for_community(community=community)
    User = get_user_model()
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        return
    approver = _approver(password)
    if Notice.objects.filter(period_start__year=YEAR).exists():
        stdout.write("  disclosure: 2005 notices already loaded")
        return
    rng = random.Random(YEAR)
    bulk_year(year=YEAR, rng=rng, staff=staff, approver=approver)
    calendar = calendar_for_year(YEAR)
    _meetings(staff, approver, calendar)
    _correction_and_withdrawal(staff)
    _questions(rng, staff)
    demo_decisions.load(stdout=stdout)
    stdout.write(f"  disclosure: {Notice.objects.filter(period_start__year=YEAR).count()} notices of {YEAR}")


def bulk_year(*, year: int, rng: random.Random, staff, approver) -> int:
    """Every periodic notice of `year` on every board, published on time, late or not at all, with
    its revision, its four review steps and (for monthly finances) reconciled 收支明细. Written in
    bulk; returns the number of notices."""
    calendar = calendar_for_year(year)
    boards = list(Board.objects.select_related("community").order_by("order", "slug"))
    secretaries = {
        p.community_id: p.user for p in Profile.objects.filter(community__isnull=False).select_related("user")
    }
    items = [i for i in CatalogItem.objects.filter(active=True) if i.frequency != Frequency.EVENT]

    notices, lines_for = [], {}
    for board in boards:
        author = secretaries.get(board.community_id, staff) if board.community_id else staff
        balance = Decimal(rng.randrange(20000, 300000))
        for item in items:
            if item.level != board.level:
                continue
            for period in periods_of_year(item.frequency, year):
                deadline = calendar.add(period.end, item.deadline_workdays)
                day = _publish_day(rng, calendar, period.end, deadline)
                if day is None:
                    continue
                label = _label(item.frequency, period.start)
                notice = Notice(
                    board=board,
                    catalog_item=item,
                    category=item.category,
                    title=f"{board.name}{label}{item.name}",
                    body=_body(item, board, label, rng),
                    period_start=period.start,
                    period_end=period.end,
                    status=NoticeStatus.PUBLISHED,
                    author=author,
                    revision=1,
                    published_at=_at(day),
                )
                if item.requires_statement:
                    income = [
                        (LineKind.INCOME, name, Decimal(rng.randrange(2000, 60000)))
                        for name in rng.sample(INCOME_ITEMS, 3)
                    ]
                    expense = [
                        (LineKind.EXPENSE, name, Decimal(rng.randrange(1000, 40000)))
                        for name in rng.sample(EXPENSE_ITEMS, 3)
                    ]
                    notice.opening_balance = balance
                    notice.income_total = sum(a for _k, _n, a in income)
                    notice.expense_total = sum(a for _k, _n, a in expense)
                    balance = balance + notice.income_total - notice.expense_total
                    notice.closing_balance = balance
                    lines_for[len(notices)] = income + expense
                notice.search_text = search_text_of(notice)  # as notice_publish keeps it
                notices.append(notice)
    Notice.objects.bulk_create(notices, batch_size=500)
    revisions, steps, lines = [], [], []
    for index, notice in enumerate(notices):
        revisions.append(
            NoticeRevision(
                notice=notice,
                number=1,
                title=notice.title,
                body=notice.body,
                finance=_snapshot(notice, lines_for[index]) if index in lines_for else None,
                created_by=staff,
            )
        )
        for action, actor in (
            (StepAction.SUBMIT, notice.author),
            (StepAction.CLEAR, staff),
            (StepAction.APPROVE, approver),
            (StepAction.PUBLISH, staff),
        ):
            steps.append(NoticeStep(notice=notice, action=action, actor=actor))
        for order, (kind, name, amount) in enumerate(lines_for.get(index, [])):
            lines.append(FinanceLine(notice=notice, kind=kind, item=name, amount=amount, order=order))
    NoticeRevision.objects.bulk_create(revisions, batch_size=1000)
    NoticeStep.objects.bulk_create(steps, batch_size=2000)
    FinanceLine.objects.bulk_create(lines, batch_size=2000)
    # The records carry the dates of their year, not of the day the demo was loaded.
    ids = [n.pk for n in notices]
    Notice.objects.filter(pk__in=ids).update(created_at=F("published_at"), updated_at=F("published_at"))
    published = Notice.objects.filter(pk=OuterRef("notice_id")).values("published_at")[:1]
    NoticeRevision.objects.filter(notice_id__in=ids).update(created_at=Subquery(published))
    NoticeStep.objects.filter(notice_id__in=ids).update(created_at=Subquery(published))
    services.first_publications_rebuild(year=year)  # bulk_create sends no signal
    return len(notices)


def _snapshot(notice: Notice, lines) -> dict:
    """What services.finance_snapshot records at publication, for a notice written in bulk."""
    totals = {name: f"{getattr(notice, name):.2f}" for name in services.TOTALS}
    return totals | {
        "lines": [{"kind": kind, "item": item, "amount": f"{amount:.2f}", "note": ""} for kind, item, amount in lines]
    }


def load_history(*, years, stdout, password: str = "") -> int:
    """Synthetic history for benchmarks (e.g. 10 years × 20 communities): the periodic notices of
    each year not loaded yet. Run after `load`."""
    staff = get_user_model().objects.get(username="staff")
    approver = get_user_model().objects.get(username=APPROVER[0])
    made = 0
    for year in years:
        if not Notice.objects.filter(period_start__year=year).exists():
            made += bulk_year(year=year, rng=random.Random(year), staff=staff, approver=approver)
    stdout.write(f"  disclosure: {made} synthetic notices")
    return made


def _meetings(staff, approver, calendar) -> None:
    board = services.subdistrict_board()
    for index, (day, topic, agenda) in enumerate(MEETINGS):
        meeting, _created = OpenMeeting.objects.get_or_create(
            kind=MeetingKind.WORKING_COMMITTEE,
            date=day,
            topic=topic,
            defaults={
                "board": board,
                "agenda": agenda,
                "party_member_reps": 5 + index % 4,
                "resident_reps": 6 + index % 5,
                "attendance": "党工委委员、列席的党员代表和群众代表",
                "opinions": "与会代表就议题提出意见和建议，均已记录。",
                "decisions": "会议充分听取意见后形成决定，由相关部门抓好落实。",
                "minutes": "会议记录存档备查。",
            },
        )
        if meeting.notice_id:
            continue
        notice = services.meeting_draft_notice(actor=staff, meeting=meeting)
        services.notice_submit(actor=staff, notice=notice, notify_reviewers=False)
        services.notice_clear(actor=staff, notice=notice, notify_approvers=False)
        services.notice_approve(actor=approver, notice=notice)
        services.notice_publish(actor=staff, notice=notice, at=_at(calendar.add(day, 2 + index % 3)))
    council_board = Board.objects.filter(community__name="丛树社区").first()
    if council_board is not None:
        OpenMeeting.objects.get_or_create(
            kind=MeetingKind.COUNCIL,
            date=date(2005, 6, 18),
            topic="丛树社区土地流转方案",
            defaults={
                "board": council_board,
                "agenda": "讨论土地流转方案及收益分配",
                "party_member_reps": 8,
                "resident_reps": 21,
                "decisions": "通过土地流转方案",
            },
        )


def _correction_and_withdrawal(staff) -> None:
    target = (
        Notice.objects.filter(
            status=NoticeStatus.PUBLISHED,
            category=Category.FINANCE,
            period_start=date(2005, 3, 1),
            board__community__name="秀水社区",
        ).first()
        or Notice.objects.filter(status=NoticeStatus.PUBLISHED, category=Category.FINANCE).first()
    )
    if target is not None:
        services.notice_correct(
            actor=staff,
            notice=target,
            title=target.title,
            body=target.body + "<p>更正：原公告中“办公经费”的说明有误，已更正；金额不变。</p>",
            reason="办公经费说明有误",
        )
        NoticeRevision.objects.filter(notice=target, number=2).update(created_at=_at(date(2005, 4, 25)))
        NoticeStep.objects.filter(notice=target, action=StepAction.CORRECT).update(created_at=_at(date(2005, 4, 25)))
    withdrawn = (
        Notice.objects.filter(status=NoticeStatus.PUBLISHED, catalog_item__name="便民服务事项办事指南")
        .order_by("id")
        .first()
    )
    if withdrawn is not None:
        services.notice_withdraw(actor=staff, notice=withdrawn, reason="办事指南已由区政务服务中心统一发布，本公告撤回")
        Notice.objects.filter(pk=withdrawn.pk).update(withdrawn_at=_at(date(2005, 11, 2)))
        NoticeStep.objects.filter(notice=withdrawn, action=StepAction.WITHDRAW).update(
            created_at=_at(date(2005, 11, 2))
        )


def _questions(rng: random.Random, staff) -> None:
    candidates = list(
        Notice.objects.filter(
            status=NoticeStatus.PUBLISHED, category=Category.FINANCE, published_at__lt=_at(date(YEAR, 12, 1))
        ).order_by("id")
    )
    targets = rng.sample(candidates, min(8, len(candidates)))
    texts = [
        "本月公益事业支出具体用于哪些项目？",
        "集体资产租赁收入比上月减少的原因是什么？",
        "干部报酬的发放标准是怎样确定的？",
        "建议把收支明细也张贴到各居民小组。",
    ]
    for index, notice in enumerate(targets):
        feedback = services.feedback_submit(notice=notice, body=texts[index % len(texts)], notify_staff=False)
        asked = notice.published_at.date() + timedelta(days=3)
        if index < 6:
            services.feedback_answer(
                actor=staff, feedback=feedback, answer="感谢关注。相关明细已在社区办公室备查，欢迎查阅。"
            )
            answered = asked + timedelta(days=5 if index < 5 else 20)
            Feedback.objects.filter(pk=feedback.pk).update(
                created_at=_at(asked), answered_at=_at(answered), due_on=calendar_for_year(YEAR).add(asked, 10)
            )
        else:
            Feedback.objects.filter(pk=feedback.pk).update(
                created_at=_at(asked), due_on=calendar_for_year(YEAR).add(asked, 10), status=FeedbackStatus.PENDING
            )
