"""Demo 三会一课 register and 党费 ledger of 2005, on the organisation tree and rosters of
communities/demo.py. Called by jiedao.demo.load() before the monthly updates, which take their
meeting figures from this register.

Every 党支部 holds its 支委会, each 党小组 its 党小组会, and a 主题党日 every month; a 党员大会 in
the middle month and a 党课 in the last month of each quarter — except the misses the monthly
demo names (communities.demo_monthly.MISSES), so the register, the monthly updates and the
report tell the same story. Attendance: each expected member present nine times in ten, absentees
with a reason. Dues: every member's 2005 base (retired from 60, a few students or laid-off), paid
quarterly through the quarter's last month; a few stopped paying after June (six months in
arrears at the year's end, a lapse review for their secretary) or after September (three).

Written with bulk_create (like the other demo loaders' bulk rows; demo seeding is not audited);
a second run changes nothing."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from communities.choices import OrgKind
from communities.demo_monthly import MISSES
from communities.models import DuesBase, DuesPayment, MeetingAttendance, OrgPost, PartyMeeting, PartyMember
from communities.models.dues import DuesCategory
from communities.models.meetings import MeetingKind
from communities.models.organisation import PartyOrganisation
from communities.periods import next_month
from communities.selectors.dues import monthly_dues, rate_bands
from communities.selectors.meetings import UPDATE_FIELD_OF_KIND
from communities.services.dues import dues_arrears_scan, dues_rate_table_ensure

YEAR = 2005
TOPICS = {
    MeetingKind.COMMITTEE: ["研究部署本月党建重点工作", "讨论发展党员和困难党员帮扶", "研究社区集体经济项目"],
    MeetingKind.GROUP: ["学习先进性教育读本", "讨论本组党员联系户情况", "交流学习体会"],
    MeetingKind.THEME_DAY: ["重温入党誓词", "党员志愿服务进院落", "参观革命传统教育基地", "清洁家园义务劳动"],
    MeetingKind.GENERAL: ["通报季度工作，讨论发展对象", "开展民主评议党员", "学习党章，收缴党费"],
    MeetingKind.LECTURE: ["书记讲党课：保持共产党员先进性", "党课：村改居后如何当好党员", "党课：党的基本知识"],
}
REASONS = ["外出务工", "生病住院", "年老行动不便", "单位加班", "外出探亲"]
STOPPED_AFTER = {6: 2, 9: 3}  # paid through June / September: how many members in the sub-district


def _missed(community_name: str, month: int, kind: str) -> bool:
    return UPDATE_FIELD_OF_KIND[kind] in MISSES.get(community_name, {}).get(month, [])


def _meetings(rng, branch, groups) -> list[PartyMeeting]:
    name = branch.community.name
    rows = []
    for month in range(1, 13):
        plan = [(MeetingKind.COMMITTEE, branch, rng.randrange(3, 9)), (MeetingKind.THEME_DAY, branch, 1)]
        plan += [(MeetingKind.GROUP, group, rng.randrange(10, 16)) for group in groups]
        if month % 3 == 2:
            plan.append((MeetingKind.GENERAL, branch, rng.randrange(18, 26)))
        if month % 3 == 0:
            plan.append((MeetingKind.LECTURE, branch, rng.randrange(18, 26)))
        for kind, org, day in plan:
            if _missed(name, month, kind) or (
                kind in (MeetingKind.GENERAL, MeetingKind.LECTURE) and _quarter_missed(name, month, kind)
            ):
                continue
            rows.append(
                PartyMeeting(
                    organisation=org, kind=kind, held_on=date(YEAR, month, day), topic=rng.choice(TOPICS[kind])
                )
            )
    return rows


def _quarter_missed(name: str, month: int, kind: str) -> bool:
    first = (month - 1) // 3 * 3 + 1
    return all(_missed(name, m, kind) for m in range(first, first + 3))


def _belongs(member, day: date) -> bool:
    return (
        member.joined_on <= day
        and (member.arrived_on is None or member.arrived_on <= day)
        and (member.left_on is None or member.left_on > day)
        and (member.disqualified_on is None or member.disqualified_on > day)
    )


def _attendance(rng, meetings, members_of, committee_of) -> list[MeetingAttendance]:
    rows = []
    for meeting in meetings:
        if meeting.kind == MeetingKind.COMMITTEE:
            pool = committee_of[meeting.organisation_id]
        else:
            pool = members_of[meeting.organisation_id]
        for member in pool:
            if not _belongs(member, meeting.held_on):
                continue
            present = rng.random() < 0.9
            rows.append(
                MeetingAttendance(
                    meeting=meeting,
                    member=member,
                    present=present,
                    absence_reason="" if present else rng.choice(REASONS),
                )
            )
    return rows


def _dues(rng, members) -> tuple[list[DuesBase], list[DuesPayment]]:
    bands = rate_bands()
    bases, payments = [], []
    stopping = list(members)
    rng.shuffle(stopping)
    stop_after = {}
    for through, count in STOPPED_AFTER.items():
        for member in stopping[:count]:
            stop_after[member.pk] = through
        stopping = stopping[count:]
    for member in members:
        if member.joined_on.year > YEAR or (member.left_on and member.left_on.year < YEAR):
            continue  # not on the roll during the year
        age = YEAR - member.birth_date.year
        if age >= 60:
            category, base = DuesCategory.RETIRED, Decimal(rng.randrange(600, 1800))
        elif rng.random() < 0.08:
            category, base = DuesCategory.REDUCED, Decimal(0)
        else:
            category, base = DuesCategory.EMPLOYED, Decimal(rng.randrange(700, 4200))
        # dues from January, or from the month after a member joined during the year
        start = next_month(member.joined_on.replace(day=1)) if member.joined_on.year == YEAR else date(YEAR, 1, 1)
        amount = monthly_dues(bands, category, base)
        bases.append(
            DuesBase(member=member, effective_from=start, category=category, monthly_base=base, monthly_amount=amount)
        )
        last = stop_after.get(member.pk, 12)
        if member.left_on and member.left_on.year == YEAR:
            last = min(last, member.left_on.month)
        paid_through = None
        for quarter_end in (3, 6, 9, 12):
            through = min(quarter_end, last)
            first = start.month if paid_through is None else paid_through.month + 1
            if through < first or date(YEAR, through, 1) < start:
                continue
            months = through - first + 1
            paid_on = date(YEAR, through, 1) + timedelta(days=rng.randrange(5, 25))
            paid_through = date(YEAR, through, 1)
            payments.append(
                DuesPayment(member=member, amount=amount * months, paid_on=paid_on, paid_through=paid_through)
            )
    return bases, [p for p in payments if p.amount > 0]  # a zero base pays nothing


def load(*, stdout) -> None:
    if PartyMeeting.objects.filter(held_on__year=YEAR).exists():
        stdout.write("三会一课台账：已存在，跳过。\n")
        return
    dues_rate_table_ensure()
    rng = random.Random(20053)
    branches = list(PartyOrganisation.objects.filter(kind=OrgKind.BRANCH).select_related("community").order_by("name"))
    groups = defaultdict(list)
    for group in PartyOrganisation.objects.filter(kind=OrgKind.GROUP).order_by("name"):
        groups[group.parent_id].append(group)
    members = list(PartyMember.objects.filter(branch__isnull=False).order_by("id"))
    members_of = defaultdict(list)
    for member in members:
        members_of[member.branch_id].append(member)
        if member.group_id:
            members_of[member.group_id].append(member)
    by_person = {m.person_id: m for m in members if m.person_id}
    committee_of = defaultdict(list)
    for post in OrgPost.objects.filter(organisation__in=branches, start_on__lte=date(YEAR, 12, 31)).order_by("id"):
        member = by_person.get(post.person_id)
        if member and member not in committee_of[post.organisation_id]:
            committee_of[post.organisation_id].append(member)
    meetings = []
    for branch in branches:
        meetings += _meetings(rng, branch, groups[branch.pk])
    PartyMeeting.objects.bulk_create(meetings, batch_size=1000)
    attendance = _attendance(rng, meetings, members_of, committee_of)
    MeetingAttendance.objects.bulk_create(attendance, batch_size=2000)
    bases, payments = _dues(rng, members)
    DuesBase.objects.bulk_create(bases, batch_size=1000)
    DuesPayment.objects.bulk_create(payments, batch_size=1000)
    # The year-end scan: three-month arrears told to the secretaries, six-month ones for review.
    scan = dues_arrears_scan(today=date(YEAR + 1, 1, 1))
    stdout.write(
        f"三会一课台账：{len(meetings)} 次会议，{len(attendance)} 条出勤；党费：{len(bases)} 名党员基数，"
        f"{len(payments)} 笔交纳，{scan['reviews']} 项自行脱党审查。\n"
    )
