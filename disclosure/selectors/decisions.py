"""Reads of the decision trails (meetings announced with their agenda, residents' opinions,
decisions and implementation items) and of the event ledger. Query counts do not grow with rows."""

from django.db.models import Prefetch, QuerySet

from disclosure.choices import FeedbackStatus
from disclosure.models import Board, Decision, DecisionItem, DisclosureEvent, MeetingOpinion, OpenMeeting
from jiedao.aggregates import related_total

# -- public -----------------------------------------------------------------------------------
# A meeting is public once announced (its agenda goes on the board); its opinions once shown;
# its decisions and their implementation with it. Contact details never leave the office.


def _shown_opinions() -> QuerySet[MeetingOpinion]:
    return MeetingOpinion.objects.public().only("id", "meeting_id", "body", "name", "created_at")


def public_meetings(*, board: Board) -> QuerySet[OpenMeeting]:
    return (
        OpenMeeting.objects.filter(board=board, announced_at__isnull=False)
        .annotate(
            shown_opinions=related_total(MeetingOpinion.objects.filter(status=FeedbackStatus.PUBLISHED), "meeting"),
            decision_count=related_total(Decision.objects.all(), "meeting"),
        )
        .order_by("-date", "-id")
    )


def _items() -> QuerySet[DecisionItem]:
    return DecisionItem.objects.select_related(
        "notice__board", "finance_line__notice__board", "rectification__site"
    ).order_by("order", "due_on", "id")


def public_trail(*, slug: str, pk: int) -> OpenMeeting:
    """One announced meeting with its shown opinions, decisions (with the shown opinions heard)
    and implementation items. A fixed number of queries."""
    return (
        OpenMeeting.objects.filter(board__slug=slug, pk=pk, announced_at__isnull=False)
        .select_related("board")
        .prefetch_related(
            Prefetch("resident_opinions", queryset=_shown_opinions(), to_attr="shown"),
            Prefetch(
                "decision_records",
                queryset=Decision.objects.order_by("id").prefetch_related(
                    Prefetch("opinions_heard", queryset=_shown_opinions(), to_attr="heard"),
                    Prefetch("items", queryset=_items(), to_attr="item_list"),
                ),
                to_attr="decision_list",
            ),
        )
        .get()
    )


# -- internal ---------------------------------------------------------------------------------


def meeting_trail(*, user, pk: int) -> OpenMeeting:
    """The internal view of a meeting: every opinion (with contact), decisions and items."""
    return (
        OpenMeeting.objects.restrict(user)
        .select_related("board", "notice")
        .prefetch_related(
            Prefetch(
                "resident_opinions",
                queryset=MeetingOpinion.objects.order_by("created_at", "id"),
                to_attr="all_opinions",
            ),
            Prefetch(
                "decision_records",
                queryset=Decision.objects.order_by("id").prefetch_related(
                    "opinions_heard", Prefetch("items", queryset=_items(), to_attr="item_list")
                ),
                to_attr="decision_list",
            ),
        )
        .get(pk=pk)
    )


def decision_queryset(*, user) -> QuerySet[Decision]:
    return (
        Decision.objects.restrict(user)
        .select_related("meeting__board")
        .prefetch_related("opinions_heard", Prefetch("items", queryset=_items(), to_attr="item_list"))
    )


def decision_items(*, user) -> QuerySet[DecisionItem]:
    return DecisionItem.objects.restrict(user).select_related("decision__meeting__board")


def events(*, user) -> QuerySet[DisclosureEvent]:
    return (
        DisclosureEvent.objects.restrict(user)
        .select_related("community", "catalog_item", "notice", "meeting")
        .order_by("-occurred_on", "-id")
    )
