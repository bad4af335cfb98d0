"""Search by words (issue 13 finding 17, issue 16 item 4): jieba's words in a full-text index,
synonyms staff keep, ranked, highlighted without letting a notice inject markup, and no count over
every match; at 300 communities the query plan uses the GIN index."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from disclosure import search, selectors, services
from disclosure.models import Board, Notice, SearchSynonym
from disclosure.selectors.public_lists import BOARDS_PER_PAGE, boards_in_order, latest_public_notices
from jiedao.pagecache import new_public_version
from tests.disclosure.factories import published

pytestmark = pytest.mark.django_db

SEARCH = reverse("gongkai:search")


@pytest.fixture
def publish(secretary_a, staff, approver, community_a):
    def make(title, body="<p>详见附件。</p>"):
        return published(
            author=secretary_a, reviewer=staff, approver=approver, community=community_a, title=title, body=body
        )

    return make


def results(query: str, *, marks: bool = False) -> str:
    """The search page for `query`; without the <mark> tags unless `marks`."""
    response = Client().get(SEARCH, {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    return page if marks else page.replace("<mark>", "").replace("</mark>", "")


def test_publish_and_correction_keep_the_words_of_title_and_text(publish, staff):
    notice = publish("2005年3月最低生活保障金发放情况", "<p>本月发放保障金共计三万元。</p>")
    assert {"最低", "生活", "保障", "保障金", "发放", "三万元"} <= set(notice.search_text.split())
    services.notice_correct(
        actor=staff, notice=notice, title="2005年3月廉租住房补贴", body="<p>补贴名单</p>", reason="标题错"
    )
    notice.refresh_from_db()
    assert "廉租" in notice.search_text and "保障金" not in notice.search_text


def test_search_finds_by_words_not_by_literal_substring(publish):
    publish("2005年3月最低生活保障金发放情况")
    publish("社区环境整治情况")
    page = results("保障金 发放")  # two words, in another order than the title's
    assert "发放情况" in page and "环境整治" not in page
    assert "没有符合条件的已发布公开事项" in results("保障金 整治")  # every word must match


def test_low_bao_finds_notices_that_say_zui_di_sheng_huo_bao_zhang(publish):
    assert "最低生活保障" in SearchSynonym.objects.get(term="低保").words()  # the list the migration starts
    publish("2005年第一季度最低生活保障对象公示")
    publish("党员发展情况")
    page = results("低保")
    assert "最低生活保障对象公示" in page and "党员发展" not in page
    # and the other way round
    publish("低保户走访慰问")
    page = results("最低生活保障")
    assert "走访慰问" in page


def test_staff_edited_synonyms_apply_at_once(publish, staff, secretary_a):
    publish("养老保险缴费基数调整")
    assert "缴费基数" not in results("养老金保险")
    with pytest.raises(PermissionDenied):
        search.synonym_save(actor=secretary_a, synonym=SearchSynonym(term="养老金保险", synonyms="养老保险"))
    entry = search.synonym_save(actor=staff, synonym=SearchSynonym(term="养老金保险", synonyms="养老保险 养老"))
    assert "缴费基数" in results("养老金保险")  # the cached page of the same search is not served again
    search.synonym_delete(actor=staff, synonym=entry)
    assert "缴费基数" not in results("养老金保险")


def test_results_are_ranked_and_highlighted(publish):
    publish("社区工作情况", "<p>本季度组织了活动。其中包括一次慰问。</p>")
    publish("困难群众慰问情况", "<p>慰问困难群众二十户，慰问金已发放。</p>")
    page = results("慰问", marks=True)
    assert page.index("困难群众") < page.index("社区工作情况")  # title and text both say it: first
    assert "<mark>慰问</mark>" in page


def test_highlighting_escapes_the_text_first():
    marked = search.highlight('低保<script>alert("x")</script> & <mark>低保</mark>', ["低保", "script"])
    assert "<script>" not in marked and "&lt;" in marked
    assert marked.count("<mark>低保</mark>") == 2 and "<mark>script</mark>" in marked
    assert search.highlight("a<b", []) == "a&lt;b"


def test_a_title_with_markup_is_shown_as_text(publish):
    publish("低保<img src=x onerror=alert(1)>名单")
    page = results("低保", marks=True)
    assert "<img src=x" not in page and "&lt;img" in page


def test_no_count_over_every_match_and_a_fixed_number_of_queries(publish, django_assert_max_num_queries):
    for i in range(25):
        publish(f"慰问活动第{i}次")
    with django_assert_max_num_queries(8) as captured:
        first = Client().get(SEARCH, {"q": "慰问"})
    sql = " ".join(q["sql"] for q in captured.captured_queries).upper()
    assert "COUNT(" not in sql
    page = first.content.decode()
    assert "第 1–20 条" in page and "page=2" in page
    second = Client().get(SEARCH, {"q": "慰问", "page": 2}).content.decode()
    assert "第 21–25 条" in second and "page=3" not in second and "page=1" in second


def test_withdrawn_and_internal_notices_are_not_found(publish, staff):
    notice = publish("慰问困难党员")
    services.notice_withdraw(actor=staff, notice=notice, reason="重复")
    assert "困难党员" not in results("慰问")


def test_at_300_communities_the_search_uses_the_gin_index_and_public_pages_stay_small(django_assert_max_num_queries):
    call_command("seed_scale", communities=300, history_years=1, password="x", stdout=io.StringIO())
    assert Notice.objects.exclude(search_text="").count() > 5000
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_notice")
        found, _words = search.search_notices(selectors.public_notices(), "低保")
        sql, params = found[:21].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notice_search_gin" in plan, plan
    with connection.cursor() as cursor:  # the home page's latest notices: read in index order, not sorted
        sql, params = latest_public_notices().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notice_public_latest" in plan and "Sort" not in plan, plan
    with connection.cursor() as cursor:  # /gongkai/'s page of boards: in index order, not every board sorted
        cursor.execute("ANALYZE disclosure_board")
        sql, params = boards_in_order()[:BOARDS_PER_PAGE].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "board_order_slug" in plan and "Sort" not in plan, plan
    board = Board.objects.exclude(community=None).order_by("pk").first()
    notice = Notice.objects.filter(board=board, status="published").first()
    pages = [
        reverse("home"),
        reverse("gongkai:board_index"),
        reverse("gongkai:board", args=[board.slug]),
        reverse("gongkai:notice", args=[board.slug, notice.pk]),
        reverse("gongkai:board_feed", args=[board.slug]),
        SEARCH + "?q=低保",
        reverse("shifan:showcase"),
    ]
    for url in pages:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert len(response.content) < 200 * 1024, (url, len(response.content))
    assert "最低生活保障" in Client().get(SEARCH, {"q": "低保"}).content.decode()


def test_a_word_in_very_many_notices_ranks_the_newest_matches_and_says_so(publish, monkeypatch):
    """Ranking every match of a word nearly every notice has (公开) took seconds at 3,000 communities:
    the newest SEARCH_CANDIDATES matches are ranked, and the last page says only those are listed."""
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 22)
    oldest = publish("慰问慰问慰问情况", "<p>慰问困难群众，慰问金已发放。</p>")  # the best match, but the oldest
    for i in range(25):
        publish(f"慰问活动第{i}次")
    first = results("慰问")
    assert "第 1–20 条" in first and "page=2" in first and 'data-testid="search-capped"' not in first
    last = Client().get(SEARCH, {"q": "慰问", "page": 2}).content.decode()
    assert "第 21–22 条" in last and "page=3" not in last
    assert "只列出最新的 22 条相符的公告" in last
    assert oldest.title not in first + last  # past the newest 22
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 500)
    new_public_version()  # the page as the limit now makes it, not the one kept
    page = results("慰问")
    assert page.index(oldest.title) < page.index("慰问活动第")  # ranked first among all
