"""The membership lifecycle (发展党员, issue 14 item 3): each step a dated record, taken in order and
not too early, refused with the reason otherwise; the 预备期 reminder and the 转正 decision.

Order and intervals (中国共产党发展党员工作细则):
申请 → 积极分子 (after the application, with 培养联系人) → 发展对象 (at least one year of 培养考察
after becoming an activist) → 政审 → 公示 (at least 5 working days, jiedao.workdays) → 支部大会
(after the 公示 ended) → 上级批准 (the 预备党员 record is created; the 预备期 runs a year from the
支部大会) → 入党宣誓 → 转正 decision once the 预备期 is over (按期转正, 延长预备期 up to a year once,
取消预备党员资格)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.choices import OrgKind, ProbationDecision
from communities.models import PartyMember, PartyOrganisation, Person, Recruit, add_years
from jiedao.identity import age_on
from jiedao.permissions import Role, ensure_can_keep_party_records, users_with_role
from jiedao.services import notify
from jiedao.workdays import workdays

MIN_ACTIVIST_YEARS = 1  # 培养考察 at least one year
MIN_PUBLICITY_WORKDAYS = 5
MAX_EXTENSION_MONTHS = 12
REMINDER_DAYS = 30  # the 预备期 reminder: a month before it ends


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: message} if field else message)


def check_branch(branch: PartyOrganisation | None, community_id: int, group: PartyOrganisation | None = None) -> None:
    if branch is None or branch.kind != OrgKind.BRANCH:
        _refuse(_("Choose a party branch (党支部)."), "branch")
    if branch.community_id != community_id:
        _refuse(_("The party branch belongs to another community."), "branch")
    if group is not None and (group.kind != OrgKind.GROUP or group.parent_id != branch.pk):
        _refuse(_("The party group must be one of the branch's groups."), "group")


def _lock(recruit: Recruit) -> Recruit:
    locked = Recruit.objects.select_for_update().select_related("person", "branch").get(pk=recruit.pk)
    if locked.member_id is not None:
        _refuse(_("This applicant has already been admitted."))
    if locked.dropped_on is not None:
        _refuse(_("This application is no longer pursued."))
    return locked


def _save(recruit: Recruit, actor) -> Recruit:
    recruit.updated_by = actor
    recruit.full_clean()
    recruit.save()
    return recruit


@transaction.atomic
def recruit_apply(*, actor, person: Person, branch: PartyOrganisation, applied_on: date) -> Recruit:
    """入党申请: a person (ID number, sex and birth date required, at least 18) applies to a branch."""
    ensure_can_keep_party_records(actor, person.community_id)
    check_branch(branch, person.community_id)
    missing = [f for f in ("id_number", "gender", "birth_date") if not getattr(person, f)]
    if missing:
        raise ValidationError({f: _("Required for an applicant.") for f in missing})
    if age_on(person.birth_date, applied_on) < 18:
        _refuse(_("An applicant must be at least 18 years old on the day of the application."), "applied_on")
    person.id_number = person.id_number.upper()
    person.full_clean()
    person.save()
    return _save(Recruit(community_id=person.community_id, branch=branch, person=person, applied_on=applied_on), actor)


@transaction.atomic
def recruit_make_activist(*, actor, recruit: Recruit, on: date, contacts: str) -> Recruit:
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if recruit.activist_on:
        _refuse(_("Already an activist since %(day)s.") % {"day": _day(recruit.activist_on)})
    if on < recruit.applied_on:
        _refuse(_("An activist is chosen after the application (%(day)s).") % {"day": _day(recruit.applied_on)}, "on")
    if not contacts.strip():
        _refuse(_("Name the members assigned to cultivate the activist (培养联系人)."), "contacts")
    recruit.activist_on, recruit.contacts = on, contacts.strip()
    return _save(recruit, actor)


def earliest_candidate_day(recruit: Recruit) -> date | None:
    return add_years(recruit.activist_on, MIN_ACTIVIST_YEARS) if recruit.activist_on else None


@transaction.atomic
def recruit_make_candidate(*, actor, recruit: Recruit, on: date) -> Recruit:
    """发展对象: only after at least a year of 培养考察 as an activist."""
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if recruit.activist_on is None:
        _refuse(_("Only an activist can become a candidate for development."))
    if recruit.candidate_on:
        _refuse(_("Already a candidate since %(day)s.") % {"day": _day(recruit.candidate_on)})
    earliest = earliest_candidate_day(recruit)
    if on < earliest:
        _refuse(
            _(
                "Too early: the activist must be cultivated and observed for at least a year "
                "(an activist since %(since)s can become a candidate on %(earliest)s at the earliest)."
            )
            % {"since": _day(recruit.activist_on), "earliest": _day(earliest)},
            "on",
        )
    recruit.candidate_on = on
    return _save(recruit, actor)


@transaction.atomic
def recruit_record_review(*, actor, recruit: Recruit, on: date) -> Recruit:
    """政审 concluded."""
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if recruit.candidate_on is None:
        _refuse(_("The political review follows the decision to make them a candidate for development."))
    if on < recruit.candidate_on:
        _refuse(_("The political review cannot end before %(day)s.") % {"day": _day(recruit.candidate_on)}, "on")
    recruit.review_on = on
    return _save(recruit, actor)


@transaction.atomic
def recruit_record_publicity(*, actor, recruit: Recruit, start: date, end: date) -> Recruit:
    """公示 of the candidate: at least 5 working days (holidays and 调休 as jiedao.workdays has them)."""
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if recruit.review_on is None:
        _refuse(_("The public notice follows the political review."))
    if start < recruit.review_on:
        _refuse(_("The public notice cannot start before the political review ended."), "start")
    if end < start:
        _refuse(_("The public notice cannot end before it starts."), "end")
    days = len(workdays(start, end))
    if days < MIN_PUBLICITY_WORKDAYS:
        _refuse(
            _("The public notice must run at least %(min)s working days; %(start)s to %(end)s has %(days)s.")
            % {"min": MIN_PUBLICITY_WORKDAYS, "start": _day(start), "end": _day(end), "days": days},
            "end",
        )
    recruit.publicity_start, recruit.publicity_end = start, end
    return _save(recruit, actor)


@transaction.atomic
def recruit_record_branch_meeting(*, actor, recruit: Recruit, on: date) -> Recruit:
    """支部大会 discussed and admitted the candidate (the 预备期 will run from this day)."""
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if recruit.publicity_end is None:
        _refuse(_("The branch general meeting discusses a candidate after the public notice."))
    if on <= recruit.publicity_end:
        _refuse(
            _("The branch general meeting must come after the public notice ended (%(day)s).")
            % {"day": _day(recruit.publicity_end)},
            "on",
        )
    recruit.branch_meeting_on = on
    return _save(recruit, actor)


@transaction.atomic
def recruit_approve(*, actor, recruit: Recruit, on: date, group: PartyOrganisation | None = None) -> PartyMember:
    """上级党组织 approval: the recruit becomes a 预备党员 on the branch's roll. The 预备期 (and the
    入党 date on the roster) runs from the 支部大会."""
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if recruit.branch_meeting_on is None:
        _refuse(_("The higher organisation approves after the branch general meeting."))
    if on < recruit.branch_meeting_on:
        _refuse(
            _("The approval cannot come before the branch general meeting (%(day)s).")
            % {"day": _day(recruit.branch_meeting_on)},
            "on",
        )
    check_branch(recruit.branch, recruit.community_id, group)
    person = recruit.person
    member = PartyMember(
        community_id=recruit.community_id,
        person=person,
        branch=recruit.branch,
        group=group,
        name=person.name,
        gender=person.gender,
        birth_date=person.birth_date,
        id_number=person.id_number,
        mobile=person.mobile,
        joined_on=recruit.branch_meeting_on,
        approved_on=on,
    )
    member.full_clean()
    member.save()
    recruit.approved_on, recruit.member = on, member
    _save(recruit, actor)
    return member


@transaction.atomic
def recruit_drop(*, actor, recruit: Recruit, on: date) -> Recruit:
    ensure_can_keep_party_records(actor, recruit.community_id)
    recruit = _lock(recruit)
    if on < recruit.applied_on:
        _refuse(_("The date is before the application."), "on")
    recruit.dropped_on = on
    return _save(recruit, actor)


# -- the 预备党员 --------------------------------------------------------------------------------


def _lock_member(member: PartyMember) -> PartyMember:
    return PartyMember.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def member_record_oath(*, actor, member: PartyMember, on: date) -> PartyMember:
    """入党宣誓, after admission."""
    ensure_can_keep_party_records(actor, member.community_id)
    member = _lock_member(member)
    if member.oath_on is not None:
        _refuse(_("The oath was already recorded on %(day)s.") % {"day": _day(member.oath_on)})
    start = member.approved_on or member.joined_on
    if on < start:
        _refuse(_("The oath follows the admission (%(day)s).") % {"day": _day(start)}, "on")
    member.oath_on = on
    member.full_clean()
    member.save()
    return member


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def member_decide_probation(
    *, actor, member: PartyMember, decision: str, on: date, extend_months: int | None = None
) -> PartyMember:
    """The 支部大会's decision once the 预备期 is over: 按期转正 (a full member from the day the 预备期
    ended), 延长预备期 (by 1–12 months, once) or 取消预备党员资格. Refused before the 预备期 ends."""
    ensure_can_keep_party_records(actor, member.community_id)
    member = _lock_member(member)
    if member.full_on is not None or member.disqualified_on is not None or member.left_on is not None:
        _refuse(_("There is no probation to decide on for this member."))
    end = member.probation_end
    if on < end:
        _refuse(
            _("Too early: the probation runs until %(end)s; the decision is taken after it ends.") % {"end": _day(end)},
            "on",
        )
    if decision == ProbationDecision.ON_TIME:
        if member.oath_on is None:
            _refuse(_("Record the oath (入党宣誓) before full membership."))
        member.full_on = end
    elif decision == ProbationDecision.EXTEND:
        if member.extension_decided_on is not None:
            _refuse(_("The probation can be extended only once."))
        if not extend_months or not 1 <= extend_months <= MAX_EXTENSION_MONTHS:
            _refuse(_("The probation is extended by one to twelve months."), "extend_months")
        member.extension_decided_on = on
        member.probation_ends_on = _add_months(end, extend_months)
        member.probation_reminded_on = None  # the new end gets its own reminder
    elif decision == ProbationDecision.CANCEL:
        member.disqualified_on = on
    else:
        _refuse(_("Choose a decision."), "decision")
    member.full_clean()
    member.save()
    return member


def probation_reminders_send(*, today: date) -> int:
    """Daily: tell the community's secretaries once that a 预备期 ends within a month."""
    horizon = today + timedelta(days=REMINDER_DAYS)
    pending = PartyMember.objects.filter(
        full_on__isnull=True,
        disqualified_on__isnull=True,
        left_on__isnull=True,
        probation_reminded_on__isnull=True,
        joined_on__lte=horizon - timedelta(days=365 - 1),  # a year after joining is near enough; exact below
    ).select_related("community")
    sent = 0
    for member in pending:
        end = member.probation_end
        if not today <= end <= horizon:
            continue
        with transaction.atomic():
            PartyMember.objects.filter(pk=member.pk).update(probation_reminded_on=today)
            for user in users_with_role(Role.SECRETARY, member.community_id):
                sent += notify(
                    recipient=user,
                    key=f"probation:{member.pk}:{end.isoformat()}",
                    title=_("%(name)s's probation ends on %(end)s") % {"name": member.name, "end": _day(end)},
                    body=_("Prepare the branch general meeting's decision on full membership."),
                    url=reverse("org:member_detail", args=[member.pk]),
                )
    return sent
