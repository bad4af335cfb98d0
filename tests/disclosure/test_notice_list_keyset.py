"""The staff notice list pages by keyset (issue 16): no COUNT(*) over the notices, no OFFSET, next
and previous links that walk the whole list once, filters kept, a secretary still sees only their
own board, and a cursor that does not parse gives the first page."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.models import Notice
from jiedao.keyset import decode, encode
from jiedao.reporting.cache import figures_version
from tests.communities.factories import CommunityFactory
from tests.disclosure.factories import board_of, draft, residents_item

pytestmark = pytest.mark.django_db

URL = "disclosure:notice_list"
PER_PAGE = 30


@pytest.fixture
def many(staff, community_a, community_b):
    """75 drafts on A's board and 5 on B's, written in bulk (the list only reads them)."""
    item = residents_item()
    boards = (board_of(community_a), board_of(community_b))
    notices = []
    for i in range(80):
        board = boards[0] if i < 75 else boards[1]
        notices.append(
            Notice(
                board=board, catalog_item=item, category=item.category, title=f"公告{i:03d}", body="<p>x</p>",
                period_start=date(2005, 1, 1) + timedelta(days=i), period_end=date(2005, 1, 1) + timedelta(days=i),
                author=staff,
            )
        )  # fmt: skip
    Notice.objects.bulk_create(notices)
    # two share one updated_at: the id breaks the tie
    first = Notice.objects.order_by("id").first()
    Notice.objects.filter(pk=first.pk + 1).update(updated_at=first.updated_at)
    return Notice.objects.order_by("-updated_at", "-id")


def titles(page: str) -> list[str]:
    table = page[page.index('data-testid="notice-table"') :]
    return re.findall(r'<a href="[^"]*">(公告\d{3})</a>', table[: table.index("</table>")])


def link(page: str, rel: str) -> str | None:
    match = re.search(rf'rel="{rel}" href="\?([^"]*)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_next_and_previous_walk_the_whole_list_without_counting(client, staff, many):
    client.force_login(staff)
    expected = [n.title for n in many]
    seen, query, pages = [], "", []
    while True:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse(URL) + "?" + query).content.decode()
        sql = [q["sql"].upper() for q in queries.captured_queries if "DISCLOSURE_NOTICE" in q["sql"].upper()]
        assert sql and not [s for s in sql if "COUNT(" in s], sql  # no COUNT over the notices
        assert not [s for s in sql if " OFFSET " in s]
        assert all(" LIMIT 31" in s for s in sql if 'FROM "DISCLOSURE_NOTICE"' in s)
        pages.append(page)
        seen += titles(page)
        query = link(page, "next")
        if not query:
            break
    assert seen == expected and len(pages) == 3  # 30 + 30 + 20, each once, newest first
    assert link(pages[0], "prev") is None and link(pages[2], "prev")

    back = client.get(reverse(URL) + "?" + link(pages[2], "prev")).content.decode()
    assert titles(back) == titles(pages[1])
    first = client.get(reverse(URL) + "?" + link(back, "prev")).content.decode()
    assert titles(first) == titles(pages[0]) and link(first, "prev") is None


def test_filters_stay_in_the_links_and_a_secretary_sees_only_their_board(client, staff, secretary_b, many):
    client.force_login(staff)
    slug = many.filter(title="公告000").get().board.slug
    page = client.get(reverse(URL), {"board": slug, "status": "draft"}).content.decode()
    assert len(titles(page)) == PER_PAGE and f"board={slug}" in link(page, "next")
    client.force_login(secretary_b)
    page = client.get(reverse(URL)).content.decode()
    assert sorted(titles(page)) == [f"公告{i:03d}" for i in range(75, 80)] and link(page, "next") is None


@pytest.mark.parametrize("cursor", ["x", "1-", "-1", "99999999999999999999999-1", "１２-3", "1" * 50])
def test_a_cursor_that_does_not_parse_gives_the_first_page(client, staff, many, cursor):
    client.force_login(staff)
    response = client.get(reverse(URL), {"after": cursor})
    assert response.status_code == 200 and titles(response.content.decode())[0] == many[0].title


def test_cursors_round_trip():
    moment = Notice._meta.get_field("updated_at").pre_save  # any attribute: only the value matters
    assert moment
    from django.utils import timezone

    now = timezone.now()
    assert decode(encode(now, 42)) == (now, 42)


def board_filter(page: str) -> list[tuple[str, str, bool]]:
    """(value, name, selected) of each option of the board filter."""
    select = page[page.index('<select name="board"') :]
    select = select[: select.index("</select>")]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    return [(value, name, bool(selected)) for value, selected, name in options]


def test_the_board_filter_offers_the_visible_boards_in_a_constant_number_of_queries(
    client, staff, secretary_b, community_a, community_b
):
    """The options are joined in the view (a widget template per option was most of the page's
    time at 300 boards): the same choices, the chosen one selected, a name escaped, the same
    queries for 3 or 30 boards, and a secretary offered only their own board."""
    boards = [board_of(community_a), board_of(community_b)]
    client.force_login(staff)

    def options_and_queries(**params):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse(URL), params).content.decode()
        return board_filter(page), len(queries.captured_queries)

    few, few_queries = options_and_queries()
    assert few[0] == ("", "全部公开栏", True) and {(b.slug, b.name) for b in boards} <= {(v, n) for v, n, _s in few}
    for i in range(27):
        boards.append(board_of(CommunityFactory(code=f"Z{i:02d}", name=f"<b>新{i}</b>社区")))
    many_options, many_queries = options_and_queries()
    assert len(many_options) == len(few) + 27 and many_queries == few_queries
    assert (boards[2].slug, "&lt;b&gt;新0&lt;/b&gt;社区", False) in many_options  # escaped, not chosen
    chosen, _n = options_and_queries(board=boards[1].slug)
    assert [v for v, _n, selected in chosen if selected] == [boards[1].slug]

    client.force_login(secretary_b)
    own, _n = options_and_queries()
    assert [v for v, _n, _s in own if v] == [boards[1].slug]


def test_the_kept_table_shows_a_new_draft_at_once_and_is_never_another_scopes(
    client, staff, secretary_b, community_a, many
):
    """The table is a fragment kept per figures version and scope (NoticeListView)."""
    client.force_login(staff)
    assert titles(client.get(reverse(URL)).content.decode())[0] == "公告079"
    draft(author=staff, community=community_a, title="公告100")
    assert titles(client.get(reverse(URL)).content.decode())[0] == "公告100"
    client.force_login(secretary_b)  # the same address, another scope: only their board's notices
    assert sorted(titles(client.get(reverse(URL)).content.decode())) == [f"公告{i:03d}" for i in range(75, 80)]


def test_past_fifty_boards_the_filter_is_a_box_for_part_of_a_board_name(client, staff, community_a, many):
    """A district of many communities: the list of boards would outweigh the page."""
    for i in range(50):
        board_of(CommunityFactory(code=f"Y{i:02d}", name=f"远郊{i:02d}社区"))
    client.force_login(staff)
    page = client.get(reverse(URL)).content.decode()
    assert '<select name="board"' not in page and 'data-testid="board-name"' in page
    name = board_of(community_a).name
    page = client.get(reverse(URL), {"board_name": name[:3], "status": "draft"}).content.decode()
    assert len(titles(page)) == PER_PAGE and "board_name=" in link(page, "next")  # A's 75 drafts, paged
    assert not titles(client.get(reverse(URL), {"board_name": "远郊"}).content.decode())  # their boards hold none


def test_the_kept_table_shows_an_authors_new_name_and_a_sign_in_keeps_it(client, staff, many):
    """The author's name is in the kept table: renaming a user retires it; a sign-in, which saves
    the user's last_login alone, does not."""
    client.force_login(staff)
    assert "<td>王秀英</td>" not in client.get(reverse(URL)).content.decode()
    staff.first_name = "王秀英"
    staff.save()
    assert "<td>王秀英</td>" in client.get(reverse(URL)).content.decode()  # the author column
    version = figures_version()
    client.force_login(staff)
    assert figures_version() == version
