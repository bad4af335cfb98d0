"""Reads of the 三会一课 and 主题党日 register: who is expected at a meeting (应到, from the
membership on its date), the roll, each branch's cadence, and the monthly update's meeting
figures. Query counts do not grow with the number of meetings or members."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from communities.choices import OrgKind
from communities.models import PartyMember
from communities.models.meetings import MeetingAttendance, MeetingKind, PartyMeeting
from communities.models.organisation import OrgPost, PartyOrganisation
from communities.periods import month_label, next_month, quarter_label

# The cadence the rules ask of a 党支部 (党小组会: of every 党小组 of the branch).
MONTHLY_KINDS = (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY)
QUARTERLY_KINDS = (MeetingKind.GENERAL, MeetingKind.LECTURE)

# The monthly update's figure for each kind.
UPDATE_FIELD_OF_KIND = {
    MeetingKind.COMMITTEE: "branch_committee_meetings",
    MeetingKind.GENERAL: "general_meetings",
    MeetingKind.GROUP: "group_meetings",
    MeetingKind.LECTURE: "party_lectures",
    MeetingKind.THEME_DAY: "theme_days",
}

MISS_MESSAGES = {
    MeetingKind.COMMITTEE: gettext_noop("%(when)s: no branch committee meeting held"),
    MeetingKind.GROUP: gettext_noop("%(when)s: no party group meeting held by %(group)s"),
    MeetingKind.THEME_DAY: gettext_noop("%(when)s: no themed party day held"),
    MeetingKind.GENERAL: gettext_noop("%(when)s: no general party member meeting held"),
    MeetingKind.LECTURE: gettext_noop("%(when)s: no party lecture given"),
}


def expected_members(meeting: PartyMeeting) -> QuerySet[PartyMember]:
    """应到: the members of the branch (or group) on the meeting's date; for a 支委会 the members
    holding a post of the branch on that date."""
    day = meeting.held_on
    members = PartyMember.objects.active_on(day)
    if meeting.kind == MeetingKind.COMMITTEE:
        posts = OrgPost.objects.filter(organisation_id=meeting.organisation_id, start_on__lte=day).filter(
            Q(end_on__isnull=True) | Q(end_on__gte=day)
        )
        return members.filter(person__in=posts.values("person")).order_by("name", "id")
    return members.of_branch(meeting.organisation).order_by("name", "id")


@dataclass
class RollRow:
    member: PartyMember
    attendance: MeetingAttendance | None

    @property
    def present(self) -> bool:
        return bool(self.attendance and self.attendance.present)


@dataclass
class Roll:
    rows: list[RollRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def present(self) -> int:
        return sum(1 for r in self.rows if r.present)

    @property
    def absent(self) -> list[RollRow]:
        return [r for r in self.rows if r.attendance and not r.attendance.present]

    @property
    def unrecorded(self) -> int:
        return sum(1 for r in self.rows if r.attendance is None)


def meeting_roll(meeting: PartyMeeting) -> Roll:
    """应到 with each member's attendance; two queries."""
    marks = {a.member_id: a for a in meeting.attendance.all()}
    return Roll([RollRow(m, marks.get(m.pk)) for m in expected_members(meeting).only("id", "name", "community_id")])


def meetings_of(*, user, community=None, year: int | None = None) -> QuerySet[PartyMeeting]:
    meetings = PartyMeeting.objects.restrict(user).select_related("organisation")
    if community is not None:
        meetings = meetings.filter(organisation__community=community)
    if year is not None:
        meetings = meetings.filter(held_on__year=year)
    # explicit order: an aggregate query drops Meta.ordering, and the register is paged
    return meetings.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True)),
        absent_count=Count("attendance", filter=Q(attendance__present=False)),
    ).order_by("-held_on", "-id")


def member_meetings(member: PartyMember, *, limit: int = 50) -> list[tuple[PartyMeeting, MeetingAttendance | None]]:
    """A member's own meetings: those of their branch and group since they belong, with their mark."""
    orgs = [pk for pk in (member.branch_id, member.group_id) if pk]
    meetings = list(
        PartyMeeting.objects.filter(organisation_id__in=orgs, held_on__gte=member.joined_on)
        .select_related("organisation")
        .order_by("-held_on", "-id")[:limit]
    )
    marks = {a.meeting_id: a for a in MeetingAttendance.objects.filter(member=member, meeting__in=meetings)}
    return [(m, marks.get(m.pk)) for m in meetings]


def register_month_figures(*, community_id: int, period: date) -> dict[str, int]:
    """The monthly update's meeting figures for a community and month, counted in the register."""
    counts = dict(
        PartyMeeting.objects.filter(
            organisation__community_id=community_id, held_on__gte=period, held_on__lt=next_month(period)
        )
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {name: counts.get(kind, 0) for kind, name in UPDATE_FIELD_OF_KIND.items()}


def has_register(community_id: int) -> bool:
    """Whether the community keeps its meetings in the register (it has a 党支部 in the tree)."""
    return PartyOrganisation.objects.filter(community_id=community_id, kind=OrgKind.BRANCH).exists()


def communities_with_register(community_ids=None) -> set[int]:
    orgs = PartyOrganisation.objects.filter(kind=OrgKind.BRANCH)
    if community_ids is not None:
        orgs = orgs.filter(community_id__in=list(community_ids))
    return set(orgs.values_list("community_id", flat=True))


# -- cadence ---------------------------------------------------------------------------------


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def period_has_ended(year: int, month: int | None, quarter: int | None, today: date) -> bool:
    """A month is judged once it is over; a quarter once its third month is over."""
    last = month if month else quarter * 3
    return today >= next_month(date(year, last, 1))


@dataclass
class BranchCadence:
    branch: PartyOrganisation
    year: int
    required: int = 0
    met: int = 0
    theme_required: int = 0
    theme_met: int = 0
    held: dict = field(default_factory=dict)  # kind → meetings held in the year
    misses: list[str] = field(default_factory=list)

    def judge(self, ok: bool, kind: str, when: str, group: str = "", *, theme: bool = False) -> None:
        if theme:
            self.theme_required += 1
            self.theme_met += ok
        else:
            self.required += 1
            self.met += ok
        if not ok:
            self.misses.append(_(MISS_MESSAGES[kind]) % {"when": when, "group": group})

    @property
    def rate(self):
        return round(self.met * 100 / self.required, 1) if self.required else None

    @property
    def theme_rate(self):
        return round(self.theme_met * 100 / self.theme_required, 1) if self.theme_required else None


def branch_cadence(*, year: int, today: date, community_ids=None, branches=None) -> list[BranchCadence]:
    """Per 党支部 and year: 支部党员大会 and 党课 each quarter, 支委会 each month, 党小组会 each month
    in every 党小组 of the branch; 主题党日 each month is judged on its own (not one of 三会一课).
    Only periods that have ended by `today` and began after the branch was founded count.
    Three queries."""
    if branches is None:
        branches = PartyOrganisation.objects.filter(kind=OrgKind.BRANCH)
        if community_ids is not None:
            branches = branches.filter(community_id__in=list(community_ids))
        branches = list(branches.select_related("community").order_by("community__code", "name"))
    branch_ids = [b.pk for b in branches]
    groups = defaultdict(list)
    for group in PartyOrganisation.objects.filter(parent_id__in=branch_ids, kind=OrgKind.GROUP).order_by("name"):
        groups[group.parent_id].append(group)
    group_parent = {g.pk: g.parent_id for gs in groups.values() for g in gs}
    held = defaultdict(set)  # (org id, kind) → {(month)}
    per_kind = defaultdict(lambda: defaultdict(int))
    rows = (
        PartyMeeting.objects.filter(
            Q(organisation_id__in=branch_ids) | Q(organisation_id__in=list(group_parent)), held_on__year=year
        )
        .values_list("organisation_id", "kind", "held_on")
        .order_by()
    )
    for org_id, kind, day in rows:
        held[(org_id, kind)].add(day.month)
        per_kind[group_parent.get(org_id, org_id)][kind] += 1
    months_named = {month: month_label(date(year, month, 1)) for month in range(1, 13)}  # once, not per branch
    result = []
    for branch in branches:
        cadence = BranchCadence(branch=branch, year=year, held=dict(per_kind[branch.pk]))
        founded = branch.founded_on or date(year, 1, 1)

        def judge(org_id, kind, months, when, group="", *, theme=False, cadence=cadence):
            cadence.judge(bool(held[(org_id, kind)] & set(months)), kind, when, group, theme=theme)

        for month in range(1, 13):
            start = date(year, month, 1)
            if not period_has_ended(year, month, None, today) or next_month(start) <= founded:
                continue
            when = months_named[month]
            judge(branch.pk, MeetingKind.COMMITTEE, [month], when)
            for group in groups[branch.pk]:
                judge(group.pk, MeetingKind.GROUP, [month], when, group.name)
            judge(branch.pk, MeetingKind.THEME_DAY, [month], when, theme=True)
        for quarter in range(1, 5):
            months = [quarter * 3 - 2, quarter * 3 - 1, quarter * 3]
            if not period_has_ended(year, None, quarter, today) or next_month(date(year, months[-1], 1)) <= founded:
                continue
            when = quarter_label(year, quarter)
            judge(branch.pk, MeetingKind.GENERAL, months, when)
            judge(branch.pk, MeetingKind.LECTURE, months, when)
        result.append(cadence)
    return result
