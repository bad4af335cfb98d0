"""Deciding with residents, then showing what was done (the decision trail), and the ledger of
events that event-driven catalogue items must disclose."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from jiedao.pagecache import bump_public_version
from jiedao.permissions import Role, ensure_can_draft, ensure_can_manage, users_with_role
from jiedao.services import notify
from jiedao.workdays import add_workdays

from ..choices import FeedbackStatus, Frequency, Level
from ..models import (
    Decision,
    DecisionItem,
    DecisionItemStatus,
    DisclosureEvent,
    MeetingOpinion,
    Notice,
    OpenMeeting,
)
from .common import _refuse_personal_numbers
from .feedback import moderated
from .notices import notice_save

__all__ = [
    "decision_item_save",
    "decision_save",
    "event_draft_notice",
    "event_record",
    "meeting_announce",
    "opinion_moderate",
    "opinion_submit",
    "opinions_open",
]

# -- announcing a meeting and hearing residents ---------------------------------------------------


@transaction.atomic
def meeting_announce(*, actor, meeting: OpenMeeting, opinions_until) -> OpenMeeting:
    """Put a coming meeting's agenda on the public board, open to residents' opinions until
    `opinions_until` (at the latest the day before the meeting)."""
    ensure_can_draft(actor, meeting.board)
    OpenMeeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one announcer at a time
    today = timezone.localdate()
    if meeting.date <= today:
        raise ValidationError(_("Only a meeting still to come can be announced."))
    if opinions_until is None or not today <= opinions_until < meeting.date:
        raise ValidationError(
            {"opinions_until": _("The opinion period ends between today and the day before the meeting.")}
        )
    if not meeting.agenda.strip():
        raise ValidationError({"agenda": _("Give the agenda before announcing the meeting.")})
    _refuse_personal_numbers(meeting.topic, meeting.agenda)
    meeting.announced_at = meeting.announced_at or timezone.now()
    meeting.opinions_until = opinions_until
    meeting.save(update_fields=["announced_at", "opinions_until", "updated_at"])
    bump_public_version()  # the board's meeting list and the trail show it
    return meeting


def opinions_open(meeting: OpenMeeting, today=None) -> bool:
    today = today or timezone.localdate()
    return meeting.announced_at is not None and meeting.opinions_until is not None and today <= meeting.opinions_until


@transaction.atomic
def opinion_submit(*, meeting: OpenMeeting, body: str, name: str = "", contact: str = "") -> MeetingOpinion:
    """A resident's opinion during the opinion period; shown once moderated, contact never."""
    if not opinions_open(meeting):
        raise ValidationError(_("The opinion period of this meeting is closed."))
    opinion = MeetingOpinion(meeting=meeting, body=body.strip(), name=name.strip(), contact=contact.strip())
    opinion.full_clean()
    opinion.save()
    moderators = users_with_role(Role.STAFF)
    if meeting.board.community_id:
        moderators = moderators | users_with_role(Role.SECRETARY, meeting.board.community_id)
    for user in moderators:
        notify(
            recipient=user,
            key=f"disclosure:opinion:{opinion.pk}",
            title=_("A resident's opinion on “%(topic)s”") % {"topic": meeting.topic[:80]},
            url=reverse("disclosure:meeting_detail", args=[meeting.pk]),
            email=False,
        )
    return opinion


@transaction.atomic
def opinion_moderate(*, actor, opinion: MeetingOpinion, show: bool) -> MeetingOpinion:
    ensure_can_draft(actor, opinion.meeting.board)
    return moderated(opinion, actor=actor, show=show)  # a shown opinion is on the public trail


# -- decisions and their implementation ---------------------------------------------------------


@transaction.atomic
def decision_save(*, actor, decision: Decision, opinions=()) -> Decision:
    """A decision of a meeting, linked to the opinions heard before it (shown opinions of the same
    meeting only)."""
    meeting = decision.meeting
    ensure_can_draft(actor, meeting.board)
    if meeting.date > timezone.localdate():
        raise ValidationError(_("A decision is recorded once the meeting has been held."))
    opinions = list(opinions)
    stray = [o for o in opinions if o.meeting_id != meeting.pk or o.status != FeedbackStatus.PUBLISHED]
    if stray:
        raise ValidationError({"opinions_heard": _("Link only this meeting's shown opinions.")})
    _refuse_personal_numbers(decision.title, decision.text, decision.response, decision.result)
    decision.full_clean()
    decision.save()
    decision.opinions_heard.set(opinions)
    bump_public_version()
    return decision


@transaction.atomic
def decision_item_save(*, actor, item: DecisionItem) -> DecisionItem:
    """An implementation item; its links must belong to the meeting's community (or, on the
    sub-district's board, to any community). Done means 100 % and a date."""
    meeting = item.decision.meeting
    ensure_can_draft(actor, meeting.board)
    community_id = meeting.board.community_id
    errors = {}
    if item.notice_id and item.notice.board.community_id != community_id and community_id is not None:
        errors["notice"] = _("Link a notice of this community's board.")
    if item.notice_id and not item.notice.is_public:  # the trail is public: never a party-internal notice
        errors["notice"] = _("Link a notice published on the public board.")
    if item.finance_line_id:
        line_community = item.finance_line.notice.board.community_id
        if community_id is not None and line_community != community_id:
            errors["finance_line"] = _("Link a funding line of this community's disclosures.")
        if not item.finance_line.notice.is_public:
            errors["finance_line"] = _("Link a line of a financial disclosure published on the public board.")
    if item.rectification_id and community_id is not None and item.rectification.site.community_id != community_id:
        errors["rectification"] = _("Link a rectification item of this community's site.")
    if errors:
        raise ValidationError(errors)
    if item.status == DecisionItemStatus.DONE:
        item.progress = 100
        item.done_on = item.done_on or timezone.localdate()
    else:
        item.done_on = None
        if item.progress >= 100:
            raise ValidationError({"progress": _("An item whose progress is complete is done: mark it done.")})
    _refuse_personal_numbers(item.task, item.progress_note)
    item.full_clean()
    item.save()
    bump_public_version()
    return item


# -- the event ledger ------------------------------------------------------------------------------


@transaction.atomic
def event_record(*, actor, event: DisclosureEvent) -> DisclosureEvent:
    """An event that an event-driven community catalogue item must disclose; it is due within the
    item's working days of the event date."""
    ensure_can_manage(actor, event.community_id)
    item = event.catalog_item
    if item.frequency != Frequency.EVENT or item.level != Level.COMMUNITY:
        raise ValidationError({"catalog_item": _("Choose a community item disclosed within days of an event.")})
    if event.occurred_on and event.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The event date cannot be in the future.")})
    if event.meeting_id and event.meeting.board.community_id != event.community_id:
        raise ValidationError({"meeting": _("The meeting is not this community's.")})
    if event.notice_id:
        _check_event_notice(event, event.notice)
    if event.occurred_on:
        event.due_on = add_workdays(event.occurred_on, item.deadline_workdays)
    event.recorded_by_id = event.recorded_by_id or actor.pk
    event.full_clean()
    event.save()
    return event


def _check_event_notice(event: DisclosureEvent, notice: Notice) -> None:
    if notice.board.community_id != event.community_id or notice.catalog_item_id != event.catalog_item_id:
        raise ValidationError({"notice": _("The notice must be this community's notice of the same catalogue item.")})


@transaction.atomic
def event_draft_notice(*, actor, event: DisclosureEvent) -> Notice:
    """A draft notice of the event on the community's board, linked to the event; it then goes
    through its chain (居务/财务: the 监委会 check) and, once published, discloses the event."""
    ensure_can_manage(actor, event.community_id)
    if event.notice_id:
        raise ValidationError(_("A notice for this event already exists."))
    notice = Notice(
        board=event.community.disclosure_board,
        catalog_item=event.catalog_item,
        title=event.title,
        body=format_html("<p>{}</p>", event.title),
        period_start=event.occurred_on,
        period_end=event.occurred_on,
        event_date=event.occurred_on,
    )
    notice = notice_save(actor=actor, notice=notice)
    event.notice = notice
    event.save(update_fields=["notice", "updated_at"])
    return notice
