"""The daily timeliness reminders: what is due, what is overdue, and unanswered questions."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.permissions import Role, users_with_role
from jiedao.services import notify

from ..choices import FeedbackStatus, Timeliness
from ..models import Feedback
from ..selectors import timeliness_cells


def secretaries_of(community_ids) -> dict[int, list]:
    users = users_with_role(Role.SECRETARY, community=community_ids).select_related("profile")
    result: dict[int, list] = {}
    for user in users:
        result.setdefault(user.profile.community_id, []).append(user)
    return result


def timeliness_remind(*, today=None) -> int:
    """Tell each responsible secretary (staff, for the sub-district board) what is due and what is
    overdue. Idempotent: one notification per item, board, period and kind."""
    today = today or timezone.localdate()
    cells = [c for c in timeliness_cells(year=today.year, as_of=today) if c.period_end < today]
    if today.month == 1:
        cells += list(timeliness_cells(year=today.year - 1, as_of=today))
    cells = [c for c in cells if c.status in (Timeliness.DUE, Timeliness.MISSING)]
    community_ids = {c.board.community_id for c in cells if c.board.community_id}
    secretaries = secretaries_of(community_ids)
    staff_users = list(users_with_role(Role.STAFF))
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
