"""居务公开 as the 城市居民委员会组织法 has it: the community's 居务监督委员会 checks its 居务 and
财务 notices before the community publishes them, and the 街道 monitors (抽查, 督办) instead of
approving. Also the committee's own record (terms, members)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.permissions import (
    Role,
    ensure_can_answer_instruction,
    ensure_can_check_notice,
    ensure_can_manage,
    ensure_can_monitor_boards,
    ensure_can_publish_community_notice,
    has_role,
    supervisor_community_id,
    users_with_role,
)
from jiedao.services import notify

from ..choices import NoticeStatus, StepAction
from ..models import Instruction, Notice, SampleCheck, SupervisionCommittee
from .common import _expect, _lock, _step

# -- the chain --------------------------------------------------------------------------------


def refuse_committee_notice(notice: Notice) -> None:
    """The 街道's review steps do not apply to a community's 居务/财务 notice: its 监委会 checks it."""
    if notice.needs_committee_check:
        raise PermissionDenied(
            _(
                "A community's residents' and financial affairs notices are checked by its residents' "
                "supervision committee and published by the community; the sub-district does not approve them."
            )
        )


def committee_submit(*, actor, notice: Notice) -> Notice:
    """提出 of a 居务/财务 notice (called by notice_submit inside its transaction): it waits for the
    committee's check, and the community's supervisors are told."""
    notice.status = NoticeStatus.CHECKING
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.SUBMIT, actor)
    for user in users_with_role(Role.SUPERVISOR, notice.board.community_id):
        notify(
            recipient=user,
            key=f"disclosure:notice-check:{notice.pk}:{notice.updated_at:%Y%m%d%H%M%S%f}",
            title=_("For your committee's check: %(title)s") % {"title": notice.title[:80]},
            body=notice.board.name,
            url=reverse("disclosure:supervision_notice", args=[notice.pk]),
            email=False,
        )
    return notice


@transaction.atomic
def notice_committee_check(*, actor, notice: Notice, comment: str = "") -> Notice:
    """监委会审核: a member of the notice's own community's committee passes it; the community then
    publishes it. Staff cannot give this check in the committee's place."""
    _lock(notice)
    ensure_can_check_notice(actor, notice)
    _expect(notice, NoticeStatus.CHECKING)
    notice.status = NoticeStatus.APPROVED
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.CHECK, actor, comment.strip())
    for user in users_with_role(Role.SECRETARY, notice.board.community_id):
        notify(
            recipient=user,
            key=f"disclosure:notice-checked:{notice.pk}:{notice.updated_at:%Y%m%d%H%M%S%f}",
            title=_("Checked by the supervision committee, ready to publish: %(title)s") % {"title": notice.title[:80]},
            body=notice.board.name,
            url=notice.get_absolute_url(),
            email=False,
        )
    return notice


@transaction.atomic
def notice_committee_return(*, actor, notice: Notice, comment: str) -> Notice:
    """The committee sends the notice back to the 居委会 with what must change."""
    _lock(notice)
    ensure_can_check_notice(actor, notice)
    _expect(notice, NoticeStatus.CHECKING)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    notice.status = NoticeStatus.DRAFT
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.RETURN, actor, comment.strip())
    return notice


def ensure_committee_checked(actor, notice: Notice) -> None:
    """Before the community publishes a 居务/财务 notice: the publisher is the community's secretary,
    and the committee checked the notice after it was last submitted (the check cannot be skipped)."""
    ensure_can_publish_community_notice(actor, notice)
    _expect(notice, NoticeStatus.APPROVED)
    last_submit = notice.steps.filter(action=StepAction.SUBMIT).order_by("-id").values_list("id", flat=True).first()
    checked = notice.steps.filter(action=StepAction.CHECK, id__gt=last_submit or 0)
    if not checked.exists():
        raise ValidationError(_("The residents' supervision committee has not checked this notice."))


# -- the committee's record -------------------------------------------------------------------


@transaction.atomic
def committee_save(*, actor, committee: SupervisionCommittee, accounts=None) -> SupervisionCommittee:
    """A term of the community's 居务监督委员会, kept by the community (or staff). Portal accounts
    must hold the supervisor role and belong to the same community."""
    ensure_can_manage(actor, committee.community_id)
    committee.full_clean()
    if not committee.member_lines:
        raise ValidationError({"member_names": _("List the committee's members.")})
    overlapping = SupervisionCommittee.objects.filter(
        community_id=committee.community_id, term_start__lte=committee.term_end, term_end__gte=committee.term_start
    ).exclude(pk=committee.pk)
    if overlapping.exists():
        raise ValidationError({"term_start": _("Another term of this community's committee covers these dates.")})
    accounts = list(accounts or [])
    wrong = [
        user.get_full_name() or user.username
        for user in accounts
        if not has_role(user, Role.SUPERVISOR) or supervisor_community_id(user) != committee.community_id
    ]
    if wrong:
        raise ValidationError(
            {
                "accounts": _("Not a supervision-committee account of this community: %(names)s")
                % {"names": "、".join(wrong)}
            }
        )
    committee.save()
    committee.accounts.set(accounts)
    return committee


# -- the 街道 monitors -------------------------------------------------------------------------


@transaction.atomic
def sample_check_record(*, actor, notice: Notice, result: str, note: str = "") -> SampleCheck:
    """抽查: staff record what they found on a published community notice."""
    ensure_can_monitor_boards(actor)
    if notice.board.community_id is None or notice.status != NoticeStatus.PUBLISHED:
        raise ValidationError(_("Sample checks are recorded on a community's published notices."))
    check = SampleCheck(notice=notice, result=result, note=note.strip(), checked_by=actor)
    check.full_clean()
    if check.found_problems and not check.note:
        raise ValidationError({"note": _("Say what was found.")})
    check.save()
    return check


@transaction.atomic
def instruction_issue(*, actor, instruction: Instruction) -> Instruction:
    """督办: staff send a community an instruction with a deadline; its secretaries are told, and it
    stays on their side until they answer."""
    ensure_can_monitor_boards(actor)
    instruction.issued_by = actor
    instruction.text = instruction.text.strip()
    if instruction.notice_id and instruction.notice.board.community_id != instruction.community_id:
        raise ValidationError({"notice": _("The notice is not on this community's board.")})
    if instruction.due_on and instruction.due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    instruction.full_clean()
    instruction.save()
    for user in users_with_role(Role.SECRETARY, instruction.community_id):
        notify(
            recipient=user,
            key=f"disclosure:instruction:{instruction.pk}",
            title=_("Supervision instruction from the sub-district, answer by %(date)s")
            % {"date": f"{instruction.due_on:%Y-%m-%d}"},
            body=instruction.text[:200],
            url=reverse("disclosure:instruction_list"),
        )
    return instruction


@transaction.atomic
def instruction_answer(*, actor, instruction: Instruction, answer: str) -> Instruction:
    """The community's secretary answers; the instruction is then closed (the answer stays)."""
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    ensure_can_answer_instruction(actor, instruction)
    if not instruction.is_open:
        raise ValidationError(_("This instruction has been answered already."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    instruction.answer = answer.strip()
    instruction.answered_by = actor
    instruction.answered_at = timezone.now()
    instruction.full_clean()
    instruction.save()
    return instruction


__all__ = [
    "committee_save",
    "committee_submit",
    "ensure_committee_checked",
    "instruction_answer",
    "instruction_issue",
    "notice_committee_check",
    "notice_committee_return",
    "refuse_committee_notice",
    "sample_check_record",
]
