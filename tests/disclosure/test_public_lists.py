"""Public lists that do not grow with the city (issue 16 item 5): /gongkai/ and the home page in
pages with a fixed number of queries, /shifan/ summarised and paged, each searchable by name.
(The 300-community sizes are checked in test_search.py, which seeds that city once in a transaction;
the board counts' index-only plan here, on a city seeded and vacuumed outside one.)"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import Board, Notice
from disclosure.selectors.public_lists import BOARDS_PER_PAGE, boards_in_order, public_counts
from showcase.public_lists import SITES_PER_PAGE
from tests.communities.factories import CommunityFactory
from tests.disclosure.factories import draft, published
from tests.showcase.factories import make_programme, make_site

pytestmark = pytest.mark.django_db


def communities(n, start=0):
    return [
        CommunityFactory(code=f"C{start + i:04d}", name=f"测试{start + i:04d}社区", households=100, population=300)
        for i in range(n)
    ]


def page_of(url, django_assert_max_num_queries, limit=12, **params):
    with django_assert_max_num_queries(limit) as captured:
        response = Client().get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def test_the_board_index_is_paged_sub_district_first_and_searchable(django_assert_max_num_queries):
    communities(BOARDS_PER_PAGE + 5)
    url = reverse("gongkai:board_index")
    first, queries = page_of(url, django_assert_max_num_queries)
    assert first.count('href="/gongkai/c0') == BOARDS_PER_PAGE - 1  # the sub-district's board takes the first place
    assert first.index("/gongkai/jiedao/") < first.index("/gongkai/c0000/")
    second, second_queries = page_of(url, django_assert_max_num_queries, page=2)
    assert second.count('href="/gongkai/c0') == 6 and "/gongkai/jiedao/" not in second
    assert second_queries == queries
    found, _n = page_of(url, django_assert_max_num_queries, board="0017")
    assert found.count('href="/gongkai/c0') == 1 and "测试0017社区" in found


def test_board_counts_are_read_for_one_page_only(
    secretary_a, staff, approver, community_a, django_assert_max_num_queries
):
    published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="计数公告")
    url = reverse("gongkai:board_index")
    _page, few = page_of(url, django_assert_max_num_queries)
    communities(80)
    page, many = page_of(url, django_assert_max_num_queries)
    assert many == few
    assert Board.objects.count() > BOARDS_PER_PAGE
    assert len(page) < 2 * len(_page) + 10_000


def test_a_board_counts_only_its_public_notices(secretary_a, staff, approver, community_a):
    """The index's count (read from an index, not joined to the catalogue) leaves out withdrawn
    notices and drafts."""
    kept = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="留下的公告")
    gone = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="撤回的公告")
    services.notice_withdraw(actor=staff, notice=gone, reason="重复发布")
    draft(author=secretary_a, community=community_a, title="草稿")
    index = Client().get(reverse("gongkai:board_index")).content.decode()
    row = index[index.index(f'href="/gongkai/{kept.board.slug}/"') :]
    assert re.match(r"[^<]*</a>\s*<span[^>]*>1 条</span>", row[row.index(">") + 1 :]), row[:300]


def test_the_home_page_summarises_and_pages_the_communities(
    secretary_a, staff, approver, community_a, django_assert_max_num_queries
):
    published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="首页最新公告")
    small, few = page_of(reverse("home"), django_assert_max_num_queries)
    assert "首页最新公告" in small
    communities(90)
    big, many = page_of(reverse("home"), django_assert_max_num_queries)
    assert many == few
    assert "91 个社区，10000 户" in big  # 90 × 100 households and community A's 1,000
    assert big.count("<tr><td>") == 30 and "page=2" in big
    last, _n = page_of(reverse("home"), django_assert_max_num_queries, page=4)
    assert last.count("<tr><td>") == 1


def test_the_showcase_is_summarised_paged_and_searchable(staff, django_assert_max_num_queries, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    programme = make_programme(staff)
    for community in communities(SITES_PER_PAGE + 3):
        make_site(staff, programme, community, theme=f"{community.name}主题")
    url = reverse("shifan:showcase")
    first, queries = page_of(url, django_assert_max_num_queries, limit=15)
    assert first.count("主题</p>") == SITES_PER_PAGE and "page=2" in first
    assert f"{SITES_PER_PAGE + 3} 个示范点" in first
    second, second_queries = page_of(url, django_assert_max_num_queries, limit=15, page=2)
    assert second.count("主题</p>") == 3 and second_queries == queries
    found, _n = page_of(url, django_assert_max_num_queries, limit=15, q="0004")
    assert found.count("主题</p>") == 1 and "测试0004社区" in found


@pytest.mark.django_db(transaction=True)  # seed_scale vacuums outside a transaction, as autovacuum would
def test_at_300_communities_the_board_counts_read_an_index_alone():
    """/gongkai/'s counts for a page of boards read (board, item) from notice_board_first_publication
    and no notice's row: joined to the catalogue, they read each of the page's notices from the
    table (1,500 rows at 3,000 communities)."""
    call_command("seed_scale", communities=300, history_years=1, password="x", stdout=io.StringIO())
    ids = list(boards_in_order().values_list("pk", flat=True)[:BOARDS_PER_PAGE])
    sql, params = public_counts(ids).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using notice_board_first_publication" in plan and "Heap Fetches: 0" in plan, plan
    assert sum(n for _board, n in public_counts(ids)) == Notice.objects.public().filter(board_id__in=ids).count() > 0
