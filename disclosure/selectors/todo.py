"""我的待办 items of the disclosure boards (jiedao/todo): staff do the 保密审核, the 审批 (never of
their own notice), the publication, and moderate and answer residents' questions; every author
finishes their drafts, returned ones first in mind. A community's 居务/财务 notice waits for its
居务监督委员会's check (the supervisors') and then for its secretary to publish it, never for staff;
a secretary also moderates and answers their own board's questions."""

from collections import defaultdict

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.periods import local_today
from disclosure.choices import FeedbackStatus, NoticeStatus, StepAction
from disclosure.models import COMMITTEE_CATEGORIES, Case, Feedback, Instruction, Notice, NoticeStep
from disclosure.models.cases import CaseStatus
from jiedao.permissions import community_id_of, is_staff_member, supervisor_community_id
from jiedao.todo.items import TodoItem, TodoMore, newest, unlisted

STAFF_STEPS = {
    NoticeStatus.SUBMITTED: gettext_lazy("Secrecy review"),
    NoticeStatus.CLEARED: gettext_lazy("Approval"),
    NoticeStatus.APPROVED: gettext_lazy("Notice to publish"),
    NoticeStatus.CHECKING: gettext_lazy("Committee check"),
}
# A community's 居务/财务 notice: its 居务监督委员会 checks it, its secretary publishes it (not staff).
COMMITTEE_Q = Q(board__community__isnull=False, category__in=COMMITTEE_CATEGORIES)


def _notice_items(user, staff: bool) -> list[TodoItem | TodoMore]:
    wanted = Q(status=NoticeStatus.DRAFT, author=user)
    if staff:
        wanted |= Q(status=NoticeStatus.SUBMITTED) | (Q(status=NoticeStatus.APPROVED) & ~COMMITTEE_Q)
        wanted |= Q(status=NoticeStatus.CLEARED) & ~Q(author=user)
    own, supervised = community_id_of(user), supervisor_community_id(user)
    if own is not None:
        wanted |= Q(status=NoticeStatus.APPROVED, board__community_id=own) & COMMITTEE_Q
    if supervised is not None:
        wanted |= Q(status=NoticeStatus.CHECKING, board__community_id=supervised) & COMMITTEE_Q
    last_step = NoticeStep.objects.filter(notice=OuterRef("pk")).order_by("-created_at", "-id").values("action")[:1]
    notices = (
        Notice.objects.filter(wanted)
        .select_related("board__community")
        .only("id", "title", "status", "updated_at", "board__name", "board__community__name")
        .annotate(last_action=Subquery(last_step))
    )
    by_status = defaultdict(list)
    for notice in newest(notices, since="updated_at", kind="status"):  # at most KIND_LIMIT a status
        by_status[notice.status].append(notice)
    items = []
    for status, rows in by_status.items():
        listed = [_notice_item(notice) for notice in rows]
        if status == NoticeStatus.CHECKING:
            label, url = STAFF_STEPS[status], reverse("disclosure:supervision_queue")
        else:
            label = STAFF_STEPS.get(status, gettext_lazy("Notice draft"))
            url = reverse("disclosure:notice_list") + f"?status={status}"
        items += listed + unlisted(rows, listed, kind_label=str(label), url=url)
    return items


def _notice_item(notice) -> TodoItem:
    if notice.status == NoticeStatus.CHECKING:
        kind, url = str(STAFF_STEPS[notice.status]), reverse("disclosure:supervision_notice", args=[notice.pk])
    elif notice.status == NoticeStatus.DRAFT:
        returned = notice.last_action == StepAction.RETURN
        kind = _("Notice sent back") if returned else _("Notice draft")
        url = reverse("disclosure:notice_update", args=[notice.pk])
    else:
        kind = str(STAFF_STEPS[notice.status])
        url = notice.get_absolute_url()
    community = notice.board.community
    return TodoItem(
        kind_label=kind,
        title=notice.title,
        url=url,
        since=notice.updated_at,
        community_name=community.name if community else None,
    )


def _feedback_items(community_id=None) -> list[TodoItem | TodoMore]:
    today = local_today()
    waiting = Q(status=FeedbackStatus.PENDING) | Q(status=FeedbackStatus.PUBLISHED, answered_at__isnull=True)
    if community_id is not None:  # a secretary: their own board's questions
        waiting &= Q(notice__board__community_id=community_id)
    rows = (
        Feedback.objects.filter(waiting)
        .select_related("notice__board__community")
        .only("id", "body", "status", "due_on", "created_at", "notice__title", "notice__board__community__name")
    )
    by_status = defaultdict(list)
    for feedback in newest(rows, since="created_at", kind="status", overdue=Q(due_on__lt=today)):
        by_status[feedback.status].append(feedback)
    items = []
    for status, group in by_status.items():
        pending = status == FeedbackStatus.PENDING
        label = _("Question to moderate") if pending else _("Question to answer")
        url = reverse("disclosure:feedback_list") + ("" if pending else f"?status={FeedbackStatus.PUBLISHED}")
        listed = [
            TodoItem(
                kind_label=label,
                title=f"{feedback.notice.title}：{feedback.body[:30]}",
                url=url,
                since=feedback.created_at,
                community_name=community.name if (community := feedback.notice.board.community) else None,
                overdue=feedback.due_on < today,
            )
            for feedback in group
        ]
        items += listed + unlisted(group, listed, kind_label=label, url=url)
    return items


def _case_items(user) -> list[TodoItem | TodoMore]:
    """诉求 not yet answered: staff see the sub-district's, a secretary their own community's."""
    today = local_today()
    cases = (
        Case.objects.restrict(user)
        .filter(status=CaseStatus.OPEN)
        .select_related("community")
        .only("number", "category", "received_on", "deadline", "created_at", "community__name")
    )
    rows = newest(cases, since="created_at", overdue=Q(deadline__lt=today))
    listed = [
        TodoItem(
            kind_label=_("Request to answer"),
            title=f"{case.number} {case.get_category_display()}",
            url=case.get_absolute_url(),
            since=case.created_at,
            community_name=case.community.name,
            overdue=case.deadline < today,
        )
        for case in rows
    ]
    url = reverse("disclosure:case_list") + f"?status={CaseStatus.OPEN}"
    return listed + unlisted(rows, listed, kind_label=_("Request to answer"), url=url)


def _instruction_items(community_id: int) -> list[TodoItem]:
    """督办 the 街道 sent to this community, until the community answers."""
    today = local_today()
    open_ones = Instruction.objects.filter(community_id=community_id, answered_at__isnull=True).select_related(
        "community"
    )
    return [
        TodoItem(
            kind_label=_("Supervision instruction to answer"),
            title=instruction.text[:40],
            url=reverse("disclosure:instruction_answer", args=[instruction.pk]),
            since=instruction.created_at,
            community_name=instruction.community.name,
            overdue=instruction.due_on < today,
        )
        for instruction in open_ones
    ]


def todo_items(user) -> list[TodoItem | TodoMore]:
    staff = is_staff_member(user)
    items = _notice_items(user, staff)
    community_id = community_id_of(user)
    if staff:
        items += _feedback_items() + _case_items(user)
    elif community_id is not None:
        items += _feedback_items(community_id) + _case_items(user) + _instruction_items(community_id)
    return items
