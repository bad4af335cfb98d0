"""Public pages that nginx, browsers and the Django cache may keep (issue 16 item 2, issue 13 finding 6):
no cookie, no Vary: Cookie or Accept-Language, an ETag answered with 304, and a new content version
on every publish, correction, withdrawal and answer, so the next request shows the change."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import Feedback
from jiedao import pagecache
from jiedao.pagecache import cached_for_version, page_key, public_version
from tests.disclosure.factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(secretary_a, staff, approver, community_a):
    return published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="缓存公告")


def public_urls(notice) -> list[str]:
    slug = notice.board.slug
    return [
        reverse("home"),
        reverse("gongkai:board_index"),
        reverse("gongkai:board", args=[slug]),
        reverse("gongkai:board", args=[slug]) + "?category=residents",
        reverse("gongkai:notice", args=[slug, notice.pk]),
        reverse("gongkai:notice_print", args=[slug, notice.pk]),
        reverse("gongkai:board_feed", args=[slug]),
        reverse("gongkai:search") + "?q=缓存",
        reverse("shifan:showcase"),
    ]


def test_anonymous_public_pages_set_no_cookie_and_do_not_vary(notice):
    client = Client()
    for url in public_urls(notice):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, url
        assert not response.cookies, (url, list(response.cookies))
        vary = response.get("Vary", "")
        assert "Cookie" not in vary and "Accept-Language" not in vary, (url, vary)
        assert "public" in response["Cache-Control"] and response["ETag"] and response["Last-Modified"], url
        assert "csrfmiddlewaretoken" not in response.content.decode() and "X-CSRFToken" not in response.content.decode()


def test_a_second_anonymous_request_is_served_from_the_cache(notice, django_assert_num_queries):
    url = reverse("gongkai:notice", args=[notice.board.slug, notice.pk])
    first = Client().get(url)
    with django_assert_num_queries(0):
        again = Client().get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_cached_page_is_read_in_one_cache_round_trip(notice, monkeypatch):
    url = reverse("gongkai:notice", args=[notice.board.slug, notice.pk])
    first = Client().get(url)
    reads = []

    class CountingCache:  # the real cache, every read noted
        def __getattr__(self, name):
            method = getattr(cache, name)
            if name.startswith("get"):
                return lambda *args, **kwargs: reads.append(name) or method(*args, **kwargs)
            return method

    monkeypatch.setattr(pagecache, "cache", CountingCache())
    again = Client().get(url)
    assert again.content == first.content and reads == ["get_many"]


def test_a_matching_etag_or_date_is_answered_with_304(notice):
    url = reverse("gongkai:board", args=[notice.board.slug])
    first = Client().get(url)
    assert Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert Client().get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert Client().get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    other = Client().get(reverse("gongkai:board_index"))
    assert other["ETag"] != first["ETag"]  # one tag per page


def test_publish_correction_withdrawal_and_answer_show_on_the_next_request(
    notice, secretary_a, staff, approver, community_a
):
    slug = notice.board.slug
    board, detail = reverse("gongkai:board", args=[slug]), reverse("gongkai:notice", args=[slug, notice.pk])
    feed, search = reverse("gongkai:board_feed", args=[slug]), reverse("gongkai:search") + "?q=公告"
    client = Client()
    for url in (board, detail, feed, search):
        client.get(url)  # cached now
    etag = client.get(board)["ETag"]

    published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="新发布公告")
    assert "新发布公告" in client.get(board).content.decode()
    assert "新发布公告" in client.get(feed).content.decode()
    assert "新发布公告" in client.get(search).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert client.get(board, HTTP_IF_NONE_MATCH=etag).status_code == 200  # the old tag no longer matches

    services.notice_correct(actor=staff, notice=notice, title="更正后公告", body="<p>新正文</p>", reason="错字")
    page = client.get(detail).content.decode()
    assert "更正后公告" in page and "已更正" in page
    assert "更正后公告" in client.get(board).content.decode()

    question = services.feedback_submit(notice=notice, body="什么时候办？")
    services.feedback_answer(actor=staff, feedback=question, answer="下周一办理。")
    assert "下周一办理。" in client.get(detail).content.decode()

    services.notice_withdraw(actor=staff, notice=notice, reason="发错了")
    assert client.get(detail).status_code == 404
    assert "更正后公告" not in client.get(board).content.decode()
    assert "更正后公告" not in client.get(feed).content.decode()


def test_pages_for_signed_in_users_are_never_cached_or_served_from_the_cache(client, notice, staff):
    anonymous = Client().get(reverse("home"))
    client.force_login(staff)
    for url in (reverse("home"), reverse("gongkai:notice", args=[notice.board.slug, notice.pk])):
        response = client.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
        assert response.status_code == 200
        assert "public" not in response.get("Cache-Control", "") and not response.has_header("ETag")
        assert "Cookie" in response["Vary"]
        assert staff.username in response.content.decode()  # the signed-in header, not the cached page
    assert staff.username not in Client().get(reverse("home")).content.decode()


def test_a_personal_page_is_never_stored(notice, staff):
    client = Client()
    client.force_login(staff)
    for url in (reverse("disclosure:notice_list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 200 and "public" not in response.get("Cache-Control", "")
        assert cache.get(page_key(url)) is None, url  # nothing stored under the key an anonymous visitor reads
    Client().get(reverse("home"))
    assert cache.get(page_key(reverse("home")))["token"] == public_version()["token"]


def test_the_question_form_is_fetched_with_its_token_and_works(notice):
    client = Client(enforce_csrf_checks=True)
    url = reverse("gongkai:notice", args=[notice.board.slug, notice.pk])
    page = client.get(url).content.decode()
    form_url = reverse("gongkai:notice_question", args=[notice.board.slug, notice.pk])
    assert f'hx-get="{form_url}"' in page and "<textarea" not in page
    fragment = client.get(form_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "csrftoken" in fragment.cookies
    assert "public" not in fragment.get("Cache-Control", "")
    html = fragment.content.decode()
    assert "<html" not in html and 'name="body"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(url, {"body": "请问何时公布？", "csrfmiddlewaretoken": token, "website": ""})
    assert response.status_code == 302 and Feedback.objects.filter(notice=notice).count() == 1
    # without JavaScript the same form is a page of its own
    assert "<html" in client.get(form_url).content.decode()


def test_an_english_browser_still_gets_chinese(notice):
    for url in public_urls(notice)[:3]:
        page = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'lang="zh-hans"' in page and "党建工作平台" in page and "Party-building portal" not in page


def test_the_qr_code_is_computed_once_per_content_version(notice, staff):
    calls = []

    def compute():
        calls.append(1)
        return "<svg/>"

    assert cached_for_version("qr:x", compute) == cached_for_version("qr:x", compute) == "<svg/>"
    assert len(calls) == 1
    version = public_version()["token"]
    services.notice_correct(actor=staff, notice=notice, title="又一次更正", body="<p>正文</p>", reason="更正")
    assert public_version()["token"] != version
    cached_for_version("qr:x", compute)
    assert len(calls) == 2
    # the print view's QR code sits in the cache under the current version
    url = reverse("gongkai:notice_print", args=[notice.board.slug, notice.pk])
    first = Client().get(url).content.decode()
    assert "<svg" in first
    signed_in = Client()
    signed_in.force_login(staff)
    assert re.search(r"<svg.*?</svg>", signed_in.get(url).content.decode(), re.S).group(0) in first
