"""Every write of the case ledger (诉求/信访): a resident's filing, staff recording a letter, a visit
or a call, assignment and transfer, the answer, closing, the resident's rating and re-opening, and
the daily reminder of overdue cases. Every step leaves a CaseEvent."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from disclosure.models import (
    CATEGORY_WORKDAYS,
    Case,
    CaseChannel,
    CaseCounter,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Satisfaction,
)
from jiedao.permissions import Role, can_handle_case, ensure_can_handle_case, has_role, users_with_role
from jiedao.personal_numbers import has_personal_numbers
from jiedao.services import notify
from jiedao.workdays import add_workdays

__all__ = [
    "NewCase",
    "case_assign",
    "case_by_code",
    "case_close",
    "case_deadline",
    "case_file",
    "case_overdue_remind",
    "case_rate",
    "case_record",
    "case_reopen",
    "case_reply",
    "case_transfer",
    "format_code",
    "normalise_code",
    "reopen_until",
]

# 32 symbols without 0/O/1/I: 12 of them are 60 random bits, read out over the phone without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(c for c in str(code or "").upper() if c.isalnum())


def query_hash(code: str) -> str:
    """Only this hash is stored: a database reader cannot follow a case as its resident."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    """ABCD-EFGH-JKLM: how the code is shown (dashes and spaces are ignored when typed back)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def case_deadline(*, category: str, received_on: date) -> date:
    """The answer is due within the category's working days of the day the case came in."""
    return add_workdays(received_on, CATEGORY_WORKDAYS[category])


def _next_number(year: int) -> tuple[int, str]:
    CaseCounter.objects.get_or_create(year=year)
    counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:04d}"


def _event(case: Case, kind: str, actor=None, **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, at=timezone.now(), **fields)


@dataclass(frozen=True)
class NewCase:
    case: Case
    code: str  # the query code in clear: shown once, never stored


def _create(
    *, community, category, channel, body, contact, collective, received_on, actor, kind, comment=""
) -> NewCase:
    body = (body or "").strip()
    code = new_query_code()
    case = Case(
        community=community,
        category=category,
        channel=channel,
        body=body,
        contact=(contact or "").strip(),
        collective=collective,
        received_on=received_on,
        recorded_by=actor,
    )
    # An unknown category is reported by full_clean; the deadline then stands in as the day itself.
    known = category in CATEGORY_WORKDAYS
    case.deadline = case_deadline(category=category, received_on=received_on) if known else received_on
    case.year = received_on.year
    case.sequence, case.number = 0, "-"
    case.query_hash = query_hash(code)
    case.full_clean(exclude=["number", "year", "sequence", "query_hash"])
    case.sequence, case.number = _next_number(received_on.year)
    case.save()
    _event(case, kind, actor, to_community=community, comment=comment)
    return NewCase(case=case, code=code)


def _notify_new(case: Case) -> None:
    recipients = list(users_with_role(Role.SECRETARY, community=case.community_id)) or list(users_with_role(Role.STAFF))
    for user in recipients:
        notify(
            recipient=user,
            key=f"disclosure:case-new:{case.pk}",
            title=_("New request %(number)s (%(community)s)") % {"number": case.number, "community": case.community},
            body=_("Answer by %(date)s.") % {"date": f"{case.deadline:%Y-%m-%d}"},
            url=reverse("disclosure:case_detail", args=[case.pk]),
        )


@transaction.atomic
def case_file(*, community: Community, category: str, body: str, contact: str = "", today=None) -> NewCase:
    """A resident's filing from the public site. The text is public-facing nowhere, but ID and
    mobile numbers belong in the contact field (which is never shown publicly), not in the text."""
    if has_personal_numbers(body or ""):
        raise ValidationError({"body": _("Please put your phone number in the contact field, not in the text.")})
    new = _create(
        community=community,
        category=category,
        channel=CaseChannel.ONLINE,
        body=body,
        contact=contact,
        collective=False,
        received_on=today or timezone.localdate(),
        actor=None,
        kind=CaseEventKind.FILED,
    )
    _notify_new(new.case)
    return new


@transaction.atomic
def case_record(
    *,
    actor,
    community: Community,
    category: str,
    channel: str,
    body: str,
    contact: str = "",
    collective: bool = False,
    received_on: date | None = None,
) -> NewCase:
    """Staff (any community) or a community's secretary (their own) record a letter, a visit or a call."""
    ensure_can_handle_case(actor, community.pk)
    if channel == CaseChannel.ONLINE:
        raise ValidationError({"channel": _("Online requests are filed by residents themselves.")})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    new = _create(
        community=community,
        category=category,
        channel=channel,
        body=body,
        contact=contact,
        collective=collective,
        received_on=received_on,
        actor=actor,
        kind=CaseEventKind.RECORDED,
    )
    return new


def _lock(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _check_handler(handler, community_id: int) -> None:
    if handler is None:
        return
    if not handler.is_active or not can_handle_case(handler, community_id):
        raise ValidationError(
            {"handler": _("The handler must be sub-district staff or the secretary of the case's community.")}
        )


def _expect_not_closed(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("This case is closed."))


@transaction.atomic
def case_assign(*, actor, case: Case, handler, comment: str = "") -> Case:
    ensure_can_handle_case(actor, case.community_id)
    case = _lock(case)
    _expect_not_closed(case)
    _check_handler(handler, case.community_id)
    if handler is None:
        raise ValidationError({"handler": _("Choose a handler.")})
    previous = case.handler
    case.handler = handler
    case.save(update_fields=["handler", "updated_at"])
    _event(case, CaseEventKind.ASSIGNED, actor, from_handler=previous, to_handler=handler, comment=comment.strip())
    return case


@transaction.atomic
def case_transfer(*, actor, case: Case, community: Community, handler=None, reason: str) -> Case:
    """Hand a case to another community (and, if given, a handler there). The case keeps its number,
    deadline and history; the former community's secretary no longer sees it."""
    ensure_can_handle_case(actor, case.community_id)
    case = _lock(case)
    _expect_not_closed(case)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the case is transferred.")})
    if community.pk == case.community_id:
        raise ValidationError({"community": _("The case is already with this community.")})
    _check_handler(handler, community.pk)
    previous_community, previous_handler = case.community, case.handler
    case.community = community
    if handler is not None or (previous_handler and not can_handle_case(previous_handler, community.pk)):
        case.handler = handler
    case.save(update_fields=["community", "handler", "updated_at"])
    _event(
        case,
        CaseEventKind.TRANSFERRED,
        actor,
        from_community=previous_community,
        to_community=community,
        from_handler=previous_handler,
        to_handler=case.handler,
        comment=reason.strip(),
    )
    _notify_new(case)
    return case


@transaction.atomic
def case_reply(*, actor, case: Case, reply: str) -> Case:
    """The answer the resident reads with their query code."""
    ensure_can_handle_case(actor, case.community_id)
    case = _lock(case)
    if not case.is_open:
        raise ValidationError(_("Only a case being handled can be answered."))
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the answer.")})
    if has_personal_numbers(reply):
        raise ValidationError({"reply": _("The resident reads the answer online: leave out ID and mobile numbers.")})
    case.reply = reply
    case.replied_at = timezone.now()
    case.status = CaseStatus.REPLIED
    if case.handler_id is None:
        case.handler = actor
    case.full_clean()
    case.save()
    _event(case, CaseEventKind.REPLIED, actor)
    return case


@transaction.atomic
def case_close(*, actor, case: Case, comment: str = "") -> Case:
    ensure_can_handle_case(actor, case.community_id)
    case = _lock(case)
    if not case.is_replied:
        raise ValidationError(_("Answer the case before closing it."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    _event(case, CaseEventKind.CLOSED, actor, comment=comment.strip())
    return case


# -- the resident, with the query code ----------------------------------------------------------


def case_by_code(code: str) -> Case:
    """The one case whose code this is; Http404 otherwise (no hint whether the code was close)."""
    if len(normalise_code(code)) != CODE_LENGTH:
        raise Http404
    try:
        return Case.objects.select_related("community").get(query_hash=query_hash(code))
    except Case.DoesNotExist:
        raise Http404 from None


def reopen_workdays() -> int:
    return settings.CASE_REOPEN_WORKDAYS


def reopen_until(case: Case) -> date | None:
    """The last day the resident may re-open a closed case; None when they no longer may."""
    if not case.is_closed or case.reopen_count >= 1:
        return None
    return add_workdays(timezone.localdate(case.closed_at), reopen_workdays())


@transaction.atomic
def case_rate(*, code: str, satisfaction: str) -> Case:
    case = _lock(case_by_code(code))
    if not case.is_closed:
        raise ValidationError(_("A case can be rated once it is closed."))
    if case.is_rated:
        raise ValidationError(_("This case has already been rated."))
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied you are.")})
    case.satisfaction = satisfaction
    case.save(update_fields=["satisfaction", "updated_at"])
    _event(case, CaseEventKind.RATED, None, comment=Satisfaction(satisfaction).label)
    return case


@transaction.atomic
def case_reopen(*, code: str, reason: str, today=None) -> Case:
    """Once, within CASE_REOPEN_WORKDAYS working days of closing: the case is handled again with a
    new deadline, its rating cleared."""
    case = _lock(case_by_code(code))
    today = today or timezone.localdate()
    until = reopen_until(case)
    if until is None or today > until:
        raise ValidationError(_("This case can no longer be re-opened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the answer does not settle the matter.")})
    case.status = CaseStatus.OPEN
    case.closed_at = None
    case.satisfaction = ""
    case.reopen_count += 1
    case.deadline = case_deadline(category=case.category, received_on=today)
    case.save(update_fields=["status", "closed_at", "satisfaction", "reopen_count", "deadline", "updated_at"])
    _event(case, CaseEventKind.REOPENED, None, comment=reason)
    _notify_new(case)
    return case


# -- the daily reminder -------------------------------------------------------------------------


def case_overdue_remind(*, today=None) -> int:
    """Tell each overdue case's handler (or, without one, the community's secretaries, else staff)
    — at most once a day per case: the notification key holds the day."""
    today = today or timezone.localdate()
    overdue = Case.objects.filter(status=CaseStatus.OPEN, deadline__lt=today).select_related("handler", "community")
    overdue = list(overdue)
    community_ids = {c.community_id for c in overdue if c.handler_id is None}
    secretaries: dict[int, list] = {}
    for user in users_with_role(Role.SECRETARY, community=community_ids).select_related("profile"):
        secretaries.setdefault(user.profile.community_id, []).append(user)
    staff = list(users_with_role(Role.STAFF)) if community_ids else []
    sent = 0
    for case in overdue:
        recipients = [case.handler] if case.handler_id else (secretaries.get(case.community_id) or staff)
        values = {"number": case.number, "community": case.community.name, "date": f"{case.deadline:%Y-%m-%d}"}
        for user in recipients:
            if not user.is_active or not has_role(user, Role.STAFF, Role.SECRETARY):
                continue
            sent += notify(
                recipient=user,
                key=f"disclosure:case-overdue:{case.pk}:{today:%Y-%m-%d}",
                title=_("Overdue request %(number)s (%(community)s)") % values,
                body=_("The answer was due by %(date)s.") % values,
                url=reverse("disclosure:case_detail", args=[case.pk]),
            )
    return sent
