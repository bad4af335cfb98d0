"""Demo monthly updates: every community's twelve updates of 2005, filed by its secretary and
reviewed by the sub-district office through the real services (so the timelines are real).

Called at the end of jiedao.demo.load(), because the secretaries' accounts are the actors.
The mix: most updates accepted; six came in late; December still partly under review, two
returned for changes, one draft that is overdue and one never filed; and a few 三会一课 misses.
Each month's collective income adds up to the community's 2005 indicator, and the letters and
visits add up to the sub-district's 69. Existing community-months are left alone, so running
it again changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from jiedao.models import Profile

from .models import Community, CommunityYear, MonthlyUpdate
from .periods import deadline_of
from .services import (
    monthly_update_accept,
    monthly_update_create,
    monthly_update_return,
    monthly_update_submit,
)

YEAR = 2005
TZ = ZoneInfo("Asia/Shanghai")

# community name → what is special about its year (month numbers)
LATE = {"和成社区": [2], "石岭社区": [5, 9], "龙潭社区": [7], "东山社区": [11], "洪河社区": [3]}
NOT_REVIEWED = {"平丰社区": [12], "天鹅社区": [12], "保和社区": [12], "新鸿社区": [12]}  # submitted, awaiting review
STILL_RETURNED = {"华林社区": [12], "双林社区": [12]}
RETURNED_THEN_ACCEPTED = {"丛树社区": [4], "鹤林社区": [8]}
DRAFT_ONLY = {"洪河社区": [12]}  # never submitted: overdue
NOT_FILED = {"青龙社区": [12]}
# 三会一课 misses: (field set to 0 in these months)
MISSES = {
    "白莲社区": {3: ["branch_committee_meetings"]},
    "金龙社区": {6: ["theme_days"]},
    "洪河社区": {1: ["general_meetings"], 2: ["general_meetings"], 3: ["general_meetings"]},
    "五桂社区": {7: ["party_lectures"], 8: ["party_lectures"], 9: ["party_lectures"]},
}

WORK = [
    "召开两委班子会议，部署{m}月重点工作；推进{theme}。",
    "组织党员开展{theme}，走访困难党员和群众{n}户。",
    "围绕{theme}召开院坝会，收集群众意见{n}条并逐条回复。",
]
THEMES = [
    "保持共产党员先进性教育活动",
    "村改居后社区管理",
    "农家乐规范经营",
    "土地流转和集体经济发展",
    "失地农民再就业培训",
    "平安社区创建",
    "无公害蔬菜基地建设",
    "党务居务财务公开",
]
ACTIVITIES = "全体党员参加集中学习{n}次，开展义务劳动和结对帮扶，党员参与率{p}%。"
PROBLEMS = [
    "部分流动党员联系不够紧密，参加组织生活不便。",
    "集体经济收入来源单一，增收渠道有待拓宽。",
    "社区办公用房紧张，活动场地不足。",
    "失地农民就业技能偏低，再就业压力较大。",
]
PLAN = "下月重点：{theme}；按时召开支委会、党小组会，开展主题党日活动。"
RETURN_COMMENTS = [
    "党员活动情况过于简略，请补充活动时间、地点和参加人数。",
    "集体经济收入与台账不符，请核实后重新提交。",
    "存在问题写得太笼统，请写明具体困难和需要街道协调的事项。",
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _split(total: Decimal, rng: random.Random) -> list[Decimal]:
    """`total` 万元 over twelve months, uneven, adding up exactly."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(12)]
    parts = [(total * Decimal(w / sum(weights))).quantize(Decimal("0.01")) for w in weights]
    parts[-1] = total - sum(parts[:-1])
    return parts


def _letters(rng: random.Random, communities: list[Community], total: int = 69) -> dict:
    counts: dict[tuple[int, int], int] = {}
    for _ in range(total):
        key = (rng.choice(communities).pk, rng.randrange(1, 13))
        counts[key] = counts.get(key, 0) + 1
    return counts


def _content(rng: random.Random, community: Community, month: int, income: Decimal, letters: int) -> dict:
    theme = rng.choice(THEMES)
    members = rng.randrange(16, 26)
    attended = rng.randrange(int(members * 0.7), members + 1)
    data = {
        "key_work": rng.choice(WORK).format(m=month, theme=theme, n=rng.randrange(5, 30)),
        "member_activities": ACTIVITIES.format(n=rng.randrange(1, 4), p=round(attended * 100 / members)),
        "problems": rng.choice(PROBLEMS),
        "next_plan": PLAN.format(theme=rng.choice(THEMES)),
        "collective_income": income,
        "activity_count": rng.randrange(2, 6),
        "participant_count": attended * rng.randrange(2, 4),
        "new_members": 1 if rng.random() < 0.12 else 0,
        "letters_visits": letters,
        "volunteer_hours": rng.randrange(40, 220),
        "branch_committee_meetings": rng.choice((1, 1, 2)),
        "general_meetings": 1 if month % 3 == 0 or rng.random() < 0.3 else 0,
        "group_meetings": rng.choice((1, 2, 2, 3)),
        "party_lectures": 1 if month % 3 == 2 or rng.random() < 0.25 else 0,
        "theme_days": 1,
    }
    for name in MISSES.get(community.name, {}).get(month, []):
        data[name] = 0
    return data


def load(*, stdout, password: str | None = None) -> None:
    staff = get_user_model().objects.filter(username="staff").first()
    secretaries = {
        p.community_id: p.user
        for p in Profile.objects.filter(community__isnull=False, user__username__startswith="shuji-").select_related(
            "user"
        )
    }
    if staff is None or not secretaries:
        stdout.write("  monthly updates: skipped (no demo accounts)")
        return
    communities = list(Community.objects.order_by("code"))
    incomes = dict(CommunityYear.objects.filter(year=YEAR).values_list("community_id", "collective_income"))
    existing = set(MonthlyUpdate.objects.filter(period__year=YEAR).values_list("community_id", "period__month"))
    letters = _letters(random.Random(69), communities)
    made = 0
    for community in communities:
        secretary = secretaries.get(community.pk)
        if secretary is None:
            continue
        rng = random.Random(f"monthly-{community.code}")
        income = _split(incomes.get(community.pk, Decimal("0")), rng)
        name = community.name
        for month in range(1, 13):
            if (community.pk, month) in existing or month in NOT_FILED.get(name, []):
                continue
            period = date(YEAR, month, 1)
            deadline = deadline_of(period)
            data = _content(rng, community, month, income[month - 1], letters.get((community.pk, month), 0))
            created = _at(deadline - timedelta(days=rng.randrange(6, 12)), 9)
            update = monthly_update_create(actor=secretary, community=community, period=period, data=data, now=created)
            made += 1
            if month in DRAFT_ONLY.get(name, []):
                continue
            late = month in LATE.get(name, [])
            submitted = _at(
                deadline + timedelta(days=rng.randrange(1, 6))
                if late
                else deadline - timedelta(days=rng.randrange(0, 4)),
                16,
            )
            update = monthly_update_submit(
                actor=secretary, update=update, version=update.version, now=submitted, notify_reviewers=False
            )
            if month in NOT_REVIEWED.get(name, []):
                continue
            reviewed = submitted + timedelta(days=rng.randrange(1, 4), hours=-6)
            if month in STILL_RETURNED.get(name, []) or month in RETURNED_THEN_ACCEPTED.get(name, []):
                update = monthly_update_return(
                    actor=staff,
                    update=update,
                    version=update.version,
                    comment=rng.choice(RETURN_COMMENTS),
                    now=reviewed,
                    notify_secretary=False,
                )
                if month in STILL_RETURNED.get(name, []):
                    continue
                resubmitted = reviewed + timedelta(days=1, hours=2)
                update = monthly_update_submit(
                    actor=secretary, update=update, version=update.version, now=resubmitted, notify_reviewers=False
                )
                reviewed = resubmitted + timedelta(days=1)
            monthly_update_accept(
                actor=staff, update=update, version=update.version, now=reviewed, notify_secretary=False
            )
    stdout.write(f"  monthly updates: {made} new, {MonthlyUpdate.objects.filter(period__year=YEAR).count()} in {YEAR}")
