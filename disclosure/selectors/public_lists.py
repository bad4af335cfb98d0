"""The public lists that must not grow with the city (issue 16 item 5): the board index in pages,
the counts read for one page of boards only, and the latest notices for the home page."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from disclosure.models import Board, Notice
from disclosure.selectors import public_notices

BOARDS_PER_PAGE = 30
LATEST_NOTICES = 8


def boards_in_order(*, name: str = "") -> QuerySet[Board]:
    """The boards in their order: the sub-district's first, then the communities' by address (a
    community's board takes its code as address: `board_for_community`); those whose name holds
    `name`. Read from the index `board_order_slug` a page at a time (sorting every board by its
    community's code took 4 ms at 3,000)."""
    boards = Board.objects.select_related("community").order_by("order", "slug")
    return boards.filter(name__icontains=name) if name else boards


def board_page(*, name: str = "", page=None) -> Page:
    """One page of `boards_in_order`; each board carries `published_count`, counted for the boards
    of this page only, from an index alone (joined to the catalogue, the count read each of a
    page's 1,500 notices from the table at 3,000 communities)."""
    boards = boards_in_order(name=name)
    result = Paginator(boards, BOARDS_PER_PAGE).get_page(page)
    counts = dict(public_counts([board.pk for board in result]))
    for board in result:
        board.published_count = counts.get(board.pk, 0)
    return result


def public_counts(board_ids: list[int]) -> QuerySet:
    """(board id, public notices) of the boards `board_ids` that have any."""
    notices = Notice.objects.public(join_items=False).filter(board_id__in=board_ids)
    return notices.values_list("board_id").annotate(n=Count("*")).order_by()


def latest_public_notices(limit: int = LATEST_NOTICES) -> QuerySet[Notice]:
    """The newest notices of every board, for the home page."""
    return public_notices()[:limit]
