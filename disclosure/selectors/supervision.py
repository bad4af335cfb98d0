"""Reads of the 居务 chain and the 街道's monitoring: the supervisor's queue, committees,
instructions and sample checks. Query counts do not grow with rows."""

from django.db.models import Count, Q, QuerySet

from disclosure.choices import NoticeStatus
from disclosure.models import COMMITTEE_CATEGORIES, Instruction, Notice, SampleCheck, SupervisionCommittee
from jiedao.permissions import supervised_notices

SUPERVISED_STATUSES = (NoticeStatus.CHECKING, NoticeStatus.APPROVED, NoticeStatus.PUBLISHED)


def supervision_queue(*, user) -> QuerySet[Notice]:
    """A supervisor's community's 居务/财务 notices awaiting the check first, then the ones checked
    and published, newest first."""
    notices = Notice.objects.filter(category__in=COMMITTEE_CATEGORIES, status__in=SUPERVISED_STATUSES)
    return (
        supervised_notices(user, notices)
        .select_related("board", "catalog_item", "author")
        .order_by("-updated_at", "-id")
    )


def supervision_notice_queryset(*, user) -> QuerySet[Notice]:
    return supervision_queue(user=user).prefetch_related("finance_lines", "attachments", "steps__actor")


def committees(*, user) -> QuerySet[SupervisionCommittee]:
    return (
        SupervisionCommittee.objects.restrict(user)
        .select_related("community")
        .prefetch_related("accounts")
        .order_by("community__code", "-term_start")
    )


def instructions(*, user) -> QuerySet[Instruction]:
    return (
        Instruction.objects.restrict(user)
        .select_related("community", "notice", "issued_by", "answered_by")
        .order_by("-answered_at", "due_on", "-id")
    )


def open_instruction_count(*, user) -> int:
    return Instruction.objects.restrict(user).filter(answered_at__isnull=True).count()


def sample_checks(*, user) -> QuerySet[SampleCheck]:
    return SampleCheck.objects.restrict(user).select_related("notice__board", "checked_by").order_by("-created_at")


def chain_counts() -> QuerySet:
    """For the 街道's monitoring page: per community board, the 居务/财务 notices waiting for the
    committee's check and those checked but not published yet. One query."""
    return (
        Notice.objects.filter(board__community__isnull=False, category__in=COMMITTEE_CATEGORIES)
        .values("board__name", "board__order", "board__slug")
        .annotate(
            checking=Count("id", filter=Q(status=NoticeStatus.CHECKING)),
            checked=Count("id", filter=Q(status=NoticeStatus.APPROVED)),
        )
        .filter(Q(checking__gt=0) | Q(checked__gt=0))
        .order_by("board__order", "board__slug")
    )
