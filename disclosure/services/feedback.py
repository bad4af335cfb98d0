"""Residents' questions on published notices: submission, moderation and the public answer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.pagecache import bump_public_version
from jiedao.permissions import Role, can_read_anonymously, ensure_can_moderate_feedback, users_with_role
from jiedao.services import notify
from jiedao.workdays import add_workdays

from ..choices import FeedbackStatus, NoticeStatus
from ..models import Feedback, Notice, ResidentSubmission


def answer_workdays() -> int:
    return settings.DISCLOSURE_ANSWER_WORKDAYS


@transaction.atomic
def feedback_submit(
    *, notice: Notice, body: str, name: str = "", contact: str = "", notify_staff: bool = True
) -> Feedback:
    """A resident's question on a published notice. Waits for moderation; staff are told."""
    if notice.status != NoticeStatus.PUBLISHED:
        raise ValidationError(_("Questions can only be left on published notices."))
    if not can_read_anonymously(notice):  # party-internal: no public page to ask on
        raise ValidationError(_("Questions can only be left on notices of the public boards."))
    feedback = Feedback(
        notice=notice,
        body=body.strip(),
        name=name.strip(),
        contact=contact.strip(),
        due_on=add_workdays(timezone.localdate(), answer_workdays()),
    )
    feedback.full_clean()
    feedback.save()
    staff_users = users_with_role(Role.STAFF)
    if notice.board.community_id:  # the community answers its own residents' questions
        staff_users = staff_users | users_with_role(Role.SECRETARY, notice.board.community_id)
    for user in staff_users if notify_staff else []:
        notify(
            recipient=user,
            key=f"disclosure:feedback:{feedback.pk}",
            title=_("A resident asked about “%(title)s”") % {"title": notice.title[:80]},
            body=_("Moderate and answer by %(date)s.") % {"date": f"{feedback.due_on:%Y-%m-%d}"},
            url=reverse("disclosure:feedback_list"),
        )
    return feedback


def moderated(submission: ResidentSubmission, *, actor, show: bool) -> ResidentSubmission:
    """A resident's question or opinion shown or rejected by `actor`, whom the caller has checked."""
    submission.status = FeedbackStatus.PUBLISHED if show else FeedbackStatus.REJECTED
    submission.moderated_by = actor
    submission.save(update_fields=["status", "moderated_by", "updated_at"])
    bump_public_version()  # the public pages show this change on the next request
    return submission


@transaction.atomic
def feedback_moderate(*, actor, feedback: Feedback, show: bool) -> Feedback:
    ensure_can_moderate_feedback(actor, feedback)  # staff, or the secretary of the board's community
    return moderated(feedback, actor=actor, show=show)


@transaction.atomic
def feedback_answer(*, actor, feedback: Feedback, answer: str) -> Feedback:
    """The answer is public: answering a question also shows it (contact details never)."""
    ensure_can_moderate_feedback(actor, feedback)  # staff, or the secretary of the board's community
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
    bump_public_version()  # the public pages show this change on the next request
    return feedback
