"""Public pages: a fixed number of queries whatever the number of notices, and no ID or mobile
number anywhere a resident can look."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure import services
from disclosure.models import Notice, NoticeRevision
from tests.disclosure.factories import at, draft, finance_item, finance_lines, published, through_chain
from tests.disclosure.test_content import PDF

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def bulk_published(board, item, author, n, start_pk=0):
    """n more published notices on `board`, quickly (the page, not the chain, is under test)."""
    notices = Notice.objects.bulk_create(
        Notice(
            board=board,
            catalog_item=item,
            category=item.category,
            title=f"批量公告{start_pk + i}",
            body="<p>正文</p>",
            period_start=date(2004 + i % 2, 1 + i % 12, 1),
            period_end=date(2004 + i % 2, 1 + i % 12, 28),
            status="published",
            author=author,
            revision=1,
            published_at=at(date(2005, 1, 1)),
        )
        for i in range(n)
    )
    NoticeRevision.objects.bulk_create(
        NoticeRevision(notice=n, number=1, title=n.title, body=n.body, created_by=author) for n in notices
    )
    return notices


def _queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(50) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_public_pages_use_a_fixed_number_of_queries(
    client, secretary_a, staff, approver, community_a, community_b, django_assert_max_num_queries
):
    first = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="公告一")
    board = first.board
    services.feedback_submit(notice=first, body="问一")
    urls = [
        reverse("gongkai:board_index"),
        reverse("gongkai:board", args=[board.slug]),
        reverse("gongkai:board", args=[board.slug]) + "?category=residents&year=2005",
        reverse("gongkai:search") + "?q=公告",
        reverse("gongkai:board_feed", args=[board.slug]),
        reverse("gongkai:notice", args=[board.slug, first.pk]),
        reverse("gongkai:notice_print", args=[board.slug, first.pk]),
    ]
    few = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    bulk_published(board, first.catalog_item, secretary_a, 60)
    bulk_published(community_b.disclosure_board, first.catalog_item, secretary_a, 30, 100)
    for i in range(5):
        feedback = services.feedback_submit(notice=first, body=f"问{i}")
        services.feedback_answer(actor=staff, feedback=feedback, answer=f"答{i}")
    many = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    assert many == few
    assert max(many) <= 8


def test_no_id_or_mobile_number_on_any_public_page(client, secretary_a, staff, approver, community_a):
    # a resident writes numbers into a question; staff keep the contact; the notice itself cannot carry them
    finance = draft(
        author=secretary_a,
        community=community_a,
        item=finance_item(),
        period_start=date(2005, 3, 1),
        opening_balance=Decimal("100"),
        income_total=Decimal("50"),
        expense_total=Decimal("20"),
        closing_balance=Decimal("130"),
    )
    services.finance_lines_replace(
        actor=secretary_a,
        notice=finance,
        lines=finance_lines(("income", "租赁收入", "50"), ("expense", "办公经费", "20")),
    )
    services.attachment_add(actor=secretary_a, notice=finance, uploaded=SimpleUploadedFile("凭证.pdf", PDF))
    through_chain(finance, author=secretary_a, reviewer=staff, approver=approver)
    low = published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        body="<table><tr><th>户主</th><th>人数</th></tr><tr><td>王秀英</td><td>3</td></tr></table>",
    )
    question = services.feedback_submit(
        notice=low,
        body="我的身份证 51010819700101001X 手机 13812345678，为何没有我家？",
        name="王",
        contact="13987654321",
    )
    services.feedback_answer(actor=staff, feedback=question, answer="已电话联系 13812345678 的居民核实。")
    services.notice_correct(actor=staff, notice=low, title=low.title, body=low.body + "<p>补充说明</p>", reason="补充")
    slug = low.board.slug
    urls = [
        reverse("gongkai:board_index"),
        reverse("gongkai:board", args=[slug]),
        reverse("gongkai:search") + "?q=公",
        reverse("gongkai:board_feed", args=[slug]),
    ]
    for notice in (finance, low):
        urls += [
            reverse("gongkai:notice", args=[slug, notice.pk]),
            reverse("gongkai:notice_print", args=[slug, notice.pk]),
        ]
    seen_question = False
    for url in urls:
        page = client.get(url).content.decode()
        assert not ID_NUMBER.search(page), url
        assert not MOBILE.search(page), url
        assert "13987654321" not in page
        seen_question |= "为何没有我家" in page
    assert seen_question  # the question itself is shown, with the numbers masked


@pytest.mark.parametrize("text", ["身份证 51010819700101001X", "联系电话13812345678", "电话：13912345678。"])
def test_a_notice_with_personal_numbers_is_refused(text, secretary_a, community_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        draft(author=secretary_a, community=community_a, body=f"<p>{text}</p>")
