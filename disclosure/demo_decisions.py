"""Demo decision trails for 2005: the 16 open working-committee meetings and 丛树's 民主议事会
announced with their agenda and an opinion period, the residents' opinions heard, the decisions
linked to them, and full trails (implementation items and results) for a few of them. Written
directly (past dates the services would refuse as announcements), once."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from .choices import FeedbackStatus
from .models import Decision, DecisionItem, DecisionItemStatus, MeetingOpinion, OpenMeeting

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2005

OPINIONS = [
    "建议把涉及群众切身利益的事项先在社区公开栏公示，再提交会议决定。",
    "希望失地农民的就业安置与项目建设同步考虑。",
    "资金使用情况请按季度在公开栏公布明细。",
    "建议请居民小组长列席，把议题带回小组讨论。",
    "希望落实情况有专人负责、定期通报进度。",
    "施工期间请注意安全，减少对居民出行的影响。",
]

# topic → (implementation items (task, owner, due, done on or None, progress), result); full trails
TRAILS = {
    "示范点创建经费补助": (
        [
            ("拨付建设社区创建补助", "街道财政所", date(2005, 9, 15), date(2005, 9, 12), 100),
            ("拨付秀水、平丰社区创建补助", "街道财政所", date(2005, 9, 30), date(2005, 9, 28), 100),
            ("补助资金使用情况在社区公开栏公示", "各示范点社区居委会", date(2005, 10, 31), date(2005, 10, 20), 100),
        ],
        "40万元补助已全部拨付到位，三个社区自筹152万元，使用明细已在各社区公开栏公示。",
    ),
    "失地农民再就业培训": (
        [
            ("举办再就业技能培训班", "街道劳动保障所", date(2005, 9, 30), date(2005, 9, 26), 100),
            ("与都市工业园企业对接用工岗位", "街道经济发展办", date(2005, 12, 31), date(2005, 12, 20), 100),
        ],
        "全年举办培训6期，推荐失地农民到工业园企业就业。",
    ),
    "社区集体资产管理办法": (
        [
            ("各社区完成集体资产清理登记", "各社区居委会", date(2005, 11, 30), date(2005, 11, 25), 100),
            ("集体资产承包租赁一律公开招标并公示", "各社区居务监督委员会", date(2006, 6, 30), None, 60),
        ],
        "",
    ),
    "丛树社区土地流转方案": (
        [
            ("签订土地流转合同", "丛树社区居委会", date(2005, 7, 15), date(2005, 7, 10), 100),
            ("流转收益按户分配并公示", "丛树社区居委会", date(2005, 12, 31), date(2005, 12, 25), 100),
        ],
        "土地流转合同已签订，全年流转收益已按户分配，分配名单在社区公开栏公示。",
    ),
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def load(*, stdout) -> int:
    """Opinions, decisions and trails for every 2005 meeting that has none yet; returns how many."""
    meetings = list(
        OpenMeeting.objects.filter(date__year=YEAR, decision_records__isnull=True)
        .select_related("board")
        .order_by("date")
    )
    moderator = get_user_model().objects.filter(username="staff").first()
    for index, meeting in enumerate(meetings):
        OpenMeeting.objects.filter(pk=meeting.pk).update(
            announced_at=_at(meeting.date - timedelta(days=8)), opinions_until=meeting.date - timedelta(days=2)
        )
        heard = []
        for n in range(2):
            opinion = MeetingOpinion.objects.create(
                meeting=meeting,
                body=OPINIONS[(index + n) % len(OPINIONS)],
                status=FeedbackStatus.PUBLISHED,
                moderated_by=moderator,
            )
            MeetingOpinion.objects.filter(pk=opinion.pk).update(created_at=_at(meeting.date - timedelta(days=5 - n)))
            heard.append(opinion)
        trail = TRAILS.get(meeting.topic)
        decision = Decision.objects.create(
            meeting=meeting,
            title=f"{meeting.topic}：会议决定",
            text=meeting.decisions or "会议充分听取党员代表和群众代表的意见后形成决定。",
            votes_for=meeting.party_member_reps + meeting.resident_reps or None,
            votes_against=0,
            response="会前征求的意见已逐条研究，合理建议已写入决定。",
            result=trail[1] if trail else "",
        )
        decision.opinions_heard.set(heard)
        Decision.objects.filter(pk=decision.pk).update(created_at=_at(meeting.date, 16))
        for order, (task, owner, due, done_on, progress) in enumerate(trail[0] if trail else []):
            DecisionItem.objects.create(
                decision=decision,
                task=task,
                owner=owner,
                due_on=due,
                status=DecisionItemStatus.DONE if done_on else DecisionItemStatus.IN_PROGRESS,
                progress=progress,
                done_on=done_on,
                order=order,
            )
    stdout.write(f"  disclosure: decision trails of {len(meetings)} meetings of {YEAR}")
    return len(meetings)
