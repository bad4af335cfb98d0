"""Drafting and the review chain of a notice (提出 → 保密审核 → 审批 → 发布), then corrections
and withdrawals of what is published.

A community's 居务 and 财务 notices follow the 城市居民委员会组织法 instead (disclosure/services/
supervision.py): drafted by the 居委会 → checked by its 居务监督委员会 → published by the community;
the 街道 neither clears, approves, returns nor publishes them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.pagecache import bump_public_version
from jiedao.permissions import Role, can_approve_notice, ensure_can_draft, ensure_role, users_with_role
from jiedao.richtext import body_html
from jiedao.services import notify

from ..choices import Frequency, NoticeStatus, StepAction
from ..models import FinanceLine, Notice, NoticeRevision
from ..periods import period_containing
from ..search import search_text_of
from .common import _expect, _lock, _refuse_personal_numbers, _step
from .finance import TOTALS, FinanceData, finance_problems, finance_snapshot
from .supervision import committee_submit, ensure_committee_checked, refuse_committee_notice


@transaction.atomic
def notice_save(*, actor, notice: Notice) -> Notice:
    """Create or change a draft. Only drafts change; the period snaps to the catalogue item's period."""
    ensure_can_draft(actor, notice.board)
    if notice.pk:
        current = _lock(Notice(pk=notice.pk))
        ensure_can_draft(actor, current.board)
        _expect(current, NoticeStatus.DRAFT)
    else:
        notice.author = actor
        notice.status = NoticeStatus.DRAFT
    item = notice.catalog_item
    if item.level != notice.board.level:
        raise ValidationError({"catalog_item": _("This catalogue item does not belong on this board.")})
    notice.category = item.category
    notice.body = body_html(notice.body)
    _refuse_personal_numbers(notice.title, notice.body)
    if item.frequency == Frequency.EVENT:
        if notice.event_date is None:
            raise ValidationError({"event_date": _("Give the date of the event this notice reports.")})
        notice.period_end = notice.period_end or notice.period_start
    elif notice.period_start:
        period = period_containing(item.frequency, notice.period_start)
        notice.period_start, notice.period_end = period.start, period.end
    notice.full_clean()
    notice.save()
    return notice


def _tell(users, *, notice: Notice, step: str, title: str, url: str = "") -> None:
    """An in-portal notification (no mail) to each of `users`, once per notice, step and revision
    of its state: what landed in their 我的待办 (jiedao/todo)."""
    for user in users:
        notify(
            recipient=user,
            key=f"disclosure:notice-{step}:{notice.pk}:{notice.updated_at:%Y%m%d%H%M%S%f}",
            title=title,
            body=notice.board.name,
            url=url or reverse("disclosure:notice_detail", args=[notice.pk]),
            email=False,
        )


@transaction.atomic
def notice_submit(*, actor, notice: Notice, notify_reviewers: bool = True) -> Notice:
    """提出: the author (a secretary or staff) sends the draft to review; staff are told (unless
    `notify_reviewers` is off, as when the demo loads past notices)."""
    ensure_can_draft(actor, notice.board)
    _lock(notice)
    _expect(notice, NoticeStatus.DRAFT)
    problems = finance_problems(notice)
    if problems:
        raise ValidationError(problems)
    notice.status = NoticeStatus.SUBMITTED
    if notice.needs_committee_check:  # to its 居务监督委员会, not to the 街道
        return committee_submit(actor=actor, notice=notice)
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.SUBMIT, actor)
    if notify_reviewers:
        reviewers = users_with_role(Role.STAFF).exclude(pk=actor.pk)
        title = _("Secrecy review: %(title)s") % {"title": notice.title}
        _tell(reviewers, notice=notice, step="submitted", title=title)
    return notice


@transaction.atomic
def notice_clear(*, actor, notice: Notice, comment: str = "", notify_approvers: bool = True) -> Notice:
    """保密审核: staff confirm nothing secret or personal is disclosed; the staff who may approve
    (all but the author) are told."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    refuse_committee_notice(notice)
    _expect(notice, NoticeStatus.SUBMITTED)
    notice.status = NoticeStatus.CLEARED
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.CLEAR, actor, comment)
    if notify_approvers:
        approvers = users_with_role(Role.STAFF).exclude(pk=notice.author_id)
        _tell(approvers, notice=notice, step="cleared", title=_("Approval: %(title)s") % {"title": notice.title})
    return notice


@transaction.atomic
def notice_approve(*, actor, notice: Notice, comment: str = "") -> Notice:
    """审批: a staff member who is not the author."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    refuse_committee_notice(notice)
    _expect(notice, NoticeStatus.CLEARED)
    if not can_approve_notice(actor, notice):
        raise PermissionDenied(_("The author of a notice cannot approve it."))
    notice.status = NoticeStatus.APPROVED
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.APPROVE, actor, comment)
    title = _("Notice to publish: %(title)s") % {"title": notice.title}
    _tell(users_with_role(Role.STAFF).exclude(pk=actor.pk), notice=notice, step="approved", title=title)
    return notice


@transaction.atomic
def notice_publish(*, actor, notice: Notice, at=None) -> Notice:
    """发布: the approved text becomes revision 1 and appears on the public board."""
    _lock(notice)
    if notice.needs_committee_check:
        ensure_committee_checked(actor, notice)  # published by the community, after its 监委会 check
    else:
        ensure_role(actor, Role.STAFF)
    _expect(notice, NoticeStatus.APPROVED)
    problems = finance_problems(notice)
    if problems:
        raise ValidationError(problems)
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = at or timezone.now()
    notice.revision = 1
    notice.search_text = search_text_of(notice)  # the words the public search finds it by
    notice.save(update_fields=["status", "published_at", "revision", "search_text", "updated_at"])
    NoticeRevision.objects.create(
        notice=notice,
        number=1,
        title=notice.title,
        body=notice.body,
        finance=finance_snapshot(notice),
        created_by=actor,
    )
    _step(notice, StepAction.PUBLISH, actor)
    bump_public_version()  # the public pages show this change on the next request
    return notice


@transaction.atomic
def notice_return(*, actor, notice: Notice, comment: str) -> Notice:
    """Send a notice under review back to its author as a draft, with the reason."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    refuse_committee_notice(notice)
    _expect(notice, NoticeStatus.SUBMITTED, NoticeStatus.CLEARED, NoticeStatus.APPROVED)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    notice.status = NoticeStatus.DRAFT
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.RETURN, actor, comment)
    _tell(
        [notice.author],
        notice=notice,
        step="returned",
        title=_("Notice sent back: %(title)s") % {"title": notice.title},
        url=reverse("disclosure:notice_update", args=[notice.pk]),
    )
    return notice


@transaction.atomic
def notice_correct(
    *, actor, notice: Notice, title: str, body: str, reason: str, finance: FinanceData | None = None
) -> Notice:
    """A published notice is never edited: a correction is a new revision with its reason, and the
    public page marks the notice 已更正 with its history. A financial disclosure's figures may be
    corrected too; they must reconcile again, and every revision keeps the figures it published."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    _expect(notice, NoticeStatus.PUBLISHED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    body = body_html(body)
    _refuse_personal_numbers(title, body)
    if not title.strip() or not body:
        raise ValidationError(_("A corrected notice needs a title and a text."))
    if finance is not None and notice.is_finance:
        for name in TOTALS:
            setattr(notice, name, getattr(finance, name))
        notice.finance_lines.all().delete()
        for order, data in enumerate(finance.lines):
            _refuse_personal_numbers(data.item, data.note)
            line = FinanceLine(notice=notice, order=order, **data.__dict__)
            line.full_clean()
            line.save()
        problems = finance_problems(notice)
        if problems:
            raise ValidationError(problems)  # the transaction rolls back: nothing changes
    notice.revision += 1
    notice.title, notice.body = title.strip(), body
    notice.search_text = search_text_of(notice)
    notice.full_clean()
    notice.save(update_fields=["title", "body", "revision", "search_text", "updated_at", *TOTALS])
    NoticeRevision.objects.create(
        notice=notice,
        number=notice.revision,
        title=notice.title,
        body=notice.body,
        reason=reason.strip(),
        finance=finance_snapshot(notice),
        created_by=actor,
    )
    _step(notice, StepAction.CORRECT, actor, reason.strip())
    bump_public_version()  # the public pages show this change on the next request
    return notice


@transaction.atomic
def notice_withdraw(*, actor, notice: Notice, reason: str) -> Notice:
    """Take a published notice off the public board; the record and its reason stay for staff."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    _expect(notice, NoticeStatus.PUBLISHED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_at = timezone.now()
    notice.withdraw_reason = reason.strip()
    notice.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    _step(notice, StepAction.WITHDRAW, actor, reason.strip())
    bump_public_version()  # the public pages show this change on the next request
    return notice


# -- attachments ----------------------------------------------------------------------------------
