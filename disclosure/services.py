"""Every write of the disclosure boards: drafting, the review chain (提出 → 保密审核 → 审批 → 发布),
corrections and withdrawals, attachments, financial lines, residents' questions, open meetings
and the daily timeliness reminders."""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao import uploads
from jiedao.permissions import ROLE_GROUPS, Role, can_approve_notice, ensure_can_draft, ensure_role, is_staff_member
from jiedao.services import notify
from jiedao.workdays import add_workdays

from .choices import Category, FeedbackStatus, Frequency, LineKind, NoticeStatus, StepAction, Timeliness
from .models import (
    Attachment,
    Board,
    CatalogItem,
    Feedback,
    FinanceLine,
    Notice,
    NoticeRevision,
    NoticeStep,
    OpenMeeting,
)
from .periods import period_containing

# -- rich text -----------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "hr",
    "a",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}


def sanitize_html(html: str) -> str:
    """Keep text structure and tables; drop scripts, styles, event handlers, SVG and any link
    that is not http(s) or mailto."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


# -- personal data ------------------------------------------------------------------------------

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def has_personal_numbers(text: str) -> bool:
    return bool(ID_NUMBER_RE.search(text or "") or MOBILE_RE.search(text or ""))


def mask_personal(text: str) -> str:
    """510108199001011234 → 510108********1234, 13812345678 → 138****5678."""
    text = ID_NUMBER_RE.sub(lambda m: m.group()[:6] + "*" * 8 + m.group()[14:], text)
    return MOBILE_RE.sub(lambda m: m.group()[:3] + "****" + m.group()[7:], text)


# -- boards and catalogue -------------------------------------------------------------------------


def board_for_community(*, community) -> Board:
    board, _created = Board.objects.get_or_create(
        community=community, defaults={"slug": community.code.lower(), "name": community.name, "order": 1}
    )
    return board


def subdistrict_board() -> Board:
    board, _created = Board.objects.get_or_create(slug="jiedao", defaults={"name": "街道公开栏", "order": 0})
    return board


@transaction.atomic
def catalog_item_save(*, actor, item: CatalogItem) -> CatalogItem:
    ensure_role(actor, Role.STAFF)
    item.full_clean()
    item.save()
    return item


# -- notices --------------------------------------------------------------------------------------


def _step(notice: Notice, action: str, actor, comment: str = "") -> None:
    NoticeStep.objects.create(notice=notice, action=action, actor=actor, comment=comment)


def _expect(notice: Notice, *statuses: str) -> None:
    if notice.status not in statuses:
        raise ValidationError(
            _("This step is not possible: the notice is “%(status)s”.") % {"status": notice.get_status_display()}
        )


def _lock(notice: Notice) -> Notice:
    """The notice re-read under a row lock, so two reviewers cannot both move it."""
    locked = Notice.objects.select_for_update().select_related("board", "catalog_item").get(pk=notice.pk)
    notice.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _refuse_personal_numbers(*texts: str) -> None:
    """Public notices never carry ID or mobile numbers (the secrecy review's first check, automated)."""
    if any(has_personal_numbers(nh3.clean(t or "", tags=set())) for t in texts):
        raise ValidationError(
            {"body": _("The text contains an ID number or a mobile number; remove it before publishing.")}
        )


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
    notice.body = sanitize_html(notice.body)
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


def finance_problems(notice: Notice, lines=None) -> list[str]:
    """Why a financial disclosure does not reconcile: the declared totals against the lines, and
    opening balance + income − expense against the closing balance. Empty when it reconciles."""
    if lines is None:
        lines = list(notice.finance_lines.all())
    if not notice.is_finance:
        return []
    problems = []
    declared = (notice.opening_balance, notice.income_total, notice.expense_total, notice.closing_balance)
    if any(v is None for v in declared):
        return [_("A financial disclosure needs the opening balance, total income, total expense and closing balance.")]
    income = sum((ln.amount for ln in lines if ln.kind == LineKind.INCOME), Decimal("0"))
    expense = sum((ln.amount for ln in lines if ln.kind == LineKind.EXPENSE), Decimal("0"))
    if income != notice.income_total:
        problems.append(
            _("The income lines add up to %(lines)s yuan, but the total income is %(total)s yuan.")
            % {"lines": f"{income:.2f}", "total": f"{notice.income_total:.2f}"}
        )
    if expense != notice.expense_total:
        problems.append(
            _("The expense lines add up to %(lines)s yuan, but the total expense is %(total)s yuan.")
            % {"lines": f"{expense:.2f}", "total": f"{notice.expense_total:.2f}"}
        )
    expected = notice.opening_balance + notice.income_total - notice.expense_total
    if expected != notice.closing_balance:
        problems.append(
            _("Opening balance + income − expense is %(expected)s yuan, but the closing balance is %(closing)s yuan.")
            % {"expected": f"{expected:.2f}", "closing": f"{notice.closing_balance:.2f}"}
        )
    return problems


@dataclass
class LineData:
    kind: str
    item: str
    amount: Decimal
    note: str = ""


@transaction.atomic
def finance_lines_replace(*, actor, notice: Notice, lines: list[LineData]) -> list[FinanceLine]:
    ensure_can_draft(actor, notice.board)
    _expect(_lock(notice), NoticeStatus.DRAFT)
    notice.finance_lines.all().delete()
    created = []
    for order, data in enumerate(lines):
        _refuse_personal_numbers(data.item, data.note)
        line = FinanceLine(notice=notice, order=order, **data.__dict__)
        line.full_clean()
        line.save()
        created.append(line)
    return created


@transaction.atomic
def notice_submit(*, actor, notice: Notice) -> Notice:
    """提出: the author (a secretary or staff) sends the draft to review."""
    ensure_can_draft(actor, notice.board)
    _lock(notice)
    _expect(notice, NoticeStatus.DRAFT)
    problems = finance_problems(notice)
    if problems:
        raise ValidationError(problems)
    notice.status = NoticeStatus.SUBMITTED
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.SUBMIT, actor)
    return notice


@transaction.atomic
def notice_clear(*, actor, notice: Notice, comment: str = "") -> Notice:
    """保密审核: staff confirm nothing secret or personal is disclosed."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    _expect(notice, NoticeStatus.SUBMITTED)
    notice.status = NoticeStatus.CLEARED
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.CLEAR, actor, comment)
    return notice


@transaction.atomic
def notice_approve(*, actor, notice: Notice, comment: str = "") -> Notice:
    """审批: a staff member who is not the author."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    _expect(notice, NoticeStatus.CLEARED)
    if not can_approve_notice(actor, notice):
        raise PermissionDenied(_("The author of a notice cannot approve it."))
    notice.status = NoticeStatus.APPROVED
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.APPROVE, actor, comment)
    return notice


@transaction.atomic
def notice_publish(*, actor, notice: Notice, at=None) -> Notice:
    """发布: the approved text becomes revision 1 and appears on the public board."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    _expect(notice, NoticeStatus.APPROVED)
    problems = finance_problems(notice)
    if problems:
        raise ValidationError(problems)
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = at or timezone.now()
    notice.revision = 1
    notice.save(update_fields=["status", "published_at", "revision", "updated_at"])
    NoticeRevision.objects.create(
        notice=notice,
        number=1,
        title=notice.title,
        body=notice.body,
        finance=finance_snapshot(notice),
        created_by=actor,
    )
    _step(notice, StepAction.PUBLISH, actor)
    return notice


@transaction.atomic
def notice_return(*, actor, notice: Notice, comment: str) -> Notice:
    """Send a notice under review back to its author as a draft, with the reason."""
    ensure_role(actor, Role.STAFF)
    _lock(notice)
    _expect(notice, NoticeStatus.SUBMITTED, NoticeStatus.CLEARED, NoticeStatus.APPROVED)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    notice.status = NoticeStatus.DRAFT
    notice.save(update_fields=["status", "updated_at"])
    _step(notice, StepAction.RETURN, actor, comment)
    return notice


@dataclass
class FinanceData:
    """Corrected financial figures: the four declared totals and the lines."""

    opening_balance: Decimal
    income_total: Decimal
    expense_total: Decimal
    closing_balance: Decimal
    lines: list[LineData]


TOTALS = ("opening_balance", "income_total", "expense_total", "closing_balance")


def finance_snapshot(notice: Notice) -> dict | None:
    """The figures as published, kept with the revision so a correction never loses them."""
    if not notice.is_finance:
        return None
    snapshot = {name: None if getattr(notice, name) is None else f"{getattr(notice, name):.2f}" for name in TOTALS}
    snapshot["lines"] = [
        {"kind": ln.kind, "item": ln.item, "amount": f"{ln.amount:.2f}", "note": ln.note}
        for ln in notice.finance_lines.order_by("kind", "order", "id")
    ]
    return snapshot


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
    body = sanitize_html(body)
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
    notice.full_clean()
    notice.save(update_fields=["title", "body", "revision", "updated_at", *TOTALS])
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
    return notice


# -- attachments ----------------------------------------------------------------------------------

# extension → content types it may carry, as recognised from the content itself
ALLOWED_UPLOADS = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "gif": {"image/gif"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}


def max_attachment_bytes() -> int:
    return getattr(settings, "DISCLOSURE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


@transaction.atomic
def attachment_add(*, actor, notice: Notice, uploaded) -> Attachment:
    """A PDF, image or XLSX for a draft: size-limited, its type recognised from its content."""
    ensure_can_draft(actor, notice.board)
    _expect(_lock(notice), NoticeStatus.DRAFT)
    limit = max_attachment_bytes()
    uploads.check_size(
        uploaded,
        max_bytes=limit,
        message=_("The file is too large: at most %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"},
        code="too_large",
    )
    name = uploaded.name.rsplit("/", 1)[-1][-150:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError(_("Only PDF, PNG, JPEG, GIF and XLSX files can be attached."), code="type")
    kind = uploads.check_type(
        uploaded,
        allowed_mimes=ALLOWED_UPLOADS[extension],
        message=_("The content of “%(name)s” is not a %(ext)s file.") % {"name": name, "ext": extension.upper()},
        code="disguised",
    )
    content = b"".join(uploaded.chunks())
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        notice=notice, name=name, extension=extension, content_type=kind.mime, size=len(content), content_hash=digest
    )
    attachment.file.save(f"{digest}.{extension}", ContentFile(content), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    ensure_can_draft(actor, attachment.notice.board)
    _expect(_lock(attachment.notice), NoticeStatus.DRAFT)
    attachment.file.delete(save=False)
    attachment.delete()


# -- residents' questions -------------------------------------------------------------------------


def answer_workdays() -> int:
    return getattr(settings, "DISCLOSURE_ANSWER_WORKDAYS", 10)


class RateLimited(Exception):
    pass


def feedback_rate_check(*, client_key: str) -> None:
    """At most DISCLOSURE_FEEDBACK_PER_HOUR questions an hour from one client (the shared cache)."""
    limit = getattr(settings, "DISCLOSURE_FEEDBACK_PER_HOUR", 5)
    key = "disclosure:feedback:" + hashlib.sha256(client_key.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise RateLimited


@transaction.atomic
def feedback_submit(
    *, notice: Notice, body: str, name: str = "", contact: str = "", notify_staff: bool = True
) -> Feedback:
    """A resident's question on a published notice. Waits for moderation; staff are told."""
    if notice.status != NoticeStatus.PUBLISHED:
        raise ValidationError(_("Questions can only be left on published notices."))
    feedback = Feedback(
        notice=notice,
        body=body.strip(),
        name=name.strip(),
        contact=contact.strip(),
        due_on=add_workdays(timezone.localdate(), answer_workdays()),
    )
    feedback.full_clean()
    feedback.save()
    staff_users = get_user_model().objects.filter(groups__name=ROLE_GROUPS[Role.STAFF], is_active=True)
    for user in staff_users if notify_staff else []:
        notify(
            recipient=user,
            key=f"disclosure:feedback:{feedback.pk}",
            title=_("A resident asked about “%(title)s”") % {"title": notice.title[:80]},
            body=_("Moderate and answer by %(date)s.") % {"date": f"{feedback.due_on:%Y-%m-%d}"},
            url=reverse("disclosure:feedback_list"),
        )
    return feedback


@transaction.atomic
def feedback_moderate(*, actor, feedback: Feedback, show: bool) -> Feedback:
    ensure_role(actor, Role.STAFF)
    feedback.status = FeedbackStatus.PUBLISHED if show else FeedbackStatus.REJECTED
    feedback.moderated_by = actor
    feedback.save(update_fields=["status", "moderated_by", "updated_at"])
    return feedback


@transaction.atomic
def feedback_answer(*, actor, feedback: Feedback, answer: str) -> Feedback:
    """The answer is public: answering a question also shows it (contact details never)."""
    ensure_role(actor, Role.STAFF)
    if feedback.status == FeedbackStatus.REJECTED:
        raise ValidationError(_("A rejected question cannot be answered publicly."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    feedback.answer = answer.strip()
    feedback.answered_by = actor
    feedback.answered_at = timezone.now()
    if feedback.status == FeedbackStatus.PENDING:
        feedback.status = FeedbackStatus.PUBLISHED
        feedback.moderated_by = actor
    feedback.full_clean()
    feedback.save()
    return feedback


# -- open meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_save(*, actor, meeting: OpenMeeting) -> OpenMeeting:
    ensure_can_draft(actor, meeting.board)
    meeting.full_clean()
    meeting.save()
    return meeting


MEETING_ITEM_NAMES = {"subdistrict": "开放党工委会议", "community": "党组织会议及“三会一课”情况"}


@transaction.atomic
def meeting_draft_notice(*, actor, meeting: OpenMeeting) -> Notice:
    """Turn a meeting's record into a draft notice on the party-affairs board; it then goes
    through the review chain like any other notice."""
    ensure_can_draft(actor, meeting.board)
    if meeting.notice_id:
        raise ValidationError(_("A notice for this meeting already exists."))
    item = (
        CatalogItem.objects.filter(
            level=meeting.board.level, category=Category.PARTY, name=MEETING_ITEM_NAMES[meeting.board.level]
        ).first()
        or CatalogItem.objects.filter(level=meeting.board.level, category=Category.PARTY).first()
    )
    if item is None:
        raise ValidationError(_("The catalogue has no party-affairs item for this board."))
    notice = Notice(
        board=meeting.board,
        catalog_item=item,
        title=f"{meeting.get_kind_display()}：{meeting.topic}",
        body=render_to_string("disclosure/_meeting_notice.html", {"meeting": meeting}),
        period_start=meeting.date,
        period_end=meeting.date,
        event_date=meeting.date,
    )
    notice = notice_save(actor=actor, notice=notice)
    meeting.notice = notice
    meeting.save(update_fields=["notice", "updated_at"])
    return notice


# -- timeliness reminders -------------------------------------------------------------------------


def secretaries_of(community_ids) -> dict[int, list]:
    users = (
        get_user_model()
        .objects.filter(
            groups__name=ROLE_GROUPS[Role.SECRETARY], is_active=True, profile__community_id__in=community_ids
        )
        .select_related("profile")
    )
    result: dict[int, list] = {}
    for user in users:
        result.setdefault(user.profile.community_id, []).append(user)
    return result


def timeliness_remind(*, today=None) -> int:
    """Tell each responsible secretary (staff, for the sub-district board) what is due and what is
    overdue. Idempotent: one notification per item, board, period and kind."""
    from .selectors import timeliness_cells

    today = today or timezone.localdate()
    cells = [c for c in timeliness_cells(year=today.year, as_of=today) if c.period_end < today]
    if today.month == 1:
        cells += list(timeliness_cells(year=today.year - 1, as_of=today))
    cells = [c for c in cells if c.status in (Timeliness.DUE, Timeliness.MISSING)]
    community_ids = {c.board.community_id for c in cells if c.board.community_id}
    secretaries = secretaries_of(community_ids)
    staff_users = list(get_user_model().objects.filter(groups__name=ROLE_GROUPS[Role.STAFF], is_active=True))
    sent = 0
    for cell in cells:
        recipients = secretaries.get(cell.board.community_id, []) if cell.board.community_id else staff_users
        overdue = cell.status == Timeliness.MISSING
        values = {
            "item": cell.item.name,
            "board": cell.board.name,
            "start": f"{cell.period_start:%Y-%m-%d}",
            "end": f"{cell.period_end:%Y-%m-%d}",
            "deadline": f"{cell.deadline:%Y-%m-%d}",
        }
        if overdue:
            title = _("Overdue disclosure: %(item)s (%(board)s)") % values
            body = _("The period %(start)s – %(end)s was due by %(deadline)s and is not yet published.") % values
        else:
            title = _("Disclosure due: %(item)s (%(board)s)") % values
            body = _("The period %(start)s – %(end)s must be published by %(deadline)s.") % values
        key = f"disclosure:{'overdue' if overdue else 'due'}:{cell.board.pk}:{cell.item.pk}:{cell.period_start}"
        for user in recipients:
            sent += notify(recipient=user, key=key, title=title, body=body, url=reverse("disclosure:notice_create"))
    overdue_questions = Feedback.objects.filter(
        answered_at__isnull=True, due_on__lt=today, status__in=[FeedbackStatus.PENDING, FeedbackStatus.PUBLISHED]
    ).select_related("notice")
    for feedback in overdue_questions:
        for user in staff_users:
            sent += notify(
                recipient=user,
                key=f"disclosure:question-overdue:{feedback.pk}",
                title=_("A resident's question is overdue: “%(title)s”") % {"title": feedback.notice.title[:80]},
                body=_("The answer was due by %(date)s.") % {"date": f"{feedback.due_on:%Y-%m-%d}"},
                url=reverse("disclosure:feedback_answer", args=[feedback.pk]),
            )
    return sent


def is_reviewer(user) -> bool:
    return is_staff_member(user)
