"""Party-internal notices (a catalogue item whose 公开对象 is 特定群体: 党费, 民主评议党员,
三会一课 …) never reach an anonymous visitor: not on any public page, feed, search, count,
attachment or print view, while a public notice on the same board still shows. Staff and the
community's secretary read them in the internal pages."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure import selectors, services
from disclosure.choices import Audience, Category, Frequency, NoticeStatus
from disclosure.models import Attachment, Notice
from disclosure.selectors import public_lists
from jiedao.permissions import can_read_anonymously, notice_actions
from tests.disclosure.factories import CatalogItemFactory, draft, published, through_chain
from tests.disclosure.test_content import PDF
from tests.matrix import PERSONAS, STAFF_ONLY, check_matrix, url_names_of

pytestmark = pytest.mark.django_db

NOBODY = dict.fromkeys(PERSONAS, 404)
EVERYONE = dict.fromkeys(PERSONAS, 200)
INTERNAL_TITLE = "2005年上半年党费收缴、使用和管理情况"
PUBLIC_TITLE = "2005年3月最低生活保障对象"


def index_counts() -> dict[str, int]:
    """Each board's count of notices as /gongkai/ shows it (its first page holds every board here)."""
    return {board.slug: board.published_count for board in public_lists.board_page()}


def dues_item():
    return CatalogItemFactory(
        category=Category.PARTY,
        name="党费收缴、使用和管理情况",
        frequency=Frequency.HALF_YEARLY,
        audience=Audience.GROUP,
    )


def publish_with_attachment(*, author, reviewer, approver, community, **kwargs) -> tuple[Notice, Attachment]:
    notice = draft(author=author, community=community, **kwargs)
    attachment = services.attachment_add(actor=author, notice=notice, uploaded=SimpleUploadedFile("明细.pdf", PDF))
    return through_chain(notice, author=author, reviewer=reviewer, approver=approver), attachment


@pytest.fixture
def pair(secretary_a, staff, approver, community_a):
    """On board A: a published party-internal notice and a published public one, each with a file."""
    chain = {"author": secretary_a, "reviewer": staff, "approver": approver, "community": community_a}
    internal, internal_file = publish_with_attachment(
        **chain, item=dues_item(), title=INTERNAL_TITLE, body="<p>党费明细：支部共收缴党费。</p>"
    )
    public, public_file = publish_with_attachment(**chain, title=PUBLIC_TITLE, body="<p>低保名单如下。</p>")
    return {"internal": internal, "public": public, "internal_file": internal_file, "public_file": public_file}


def public_urls(notice, attachment) -> dict[str, str]:
    """One URL of every kind the public boards have (the test below checks none is left out)."""
    slug = notice.board.slug
    return {
        "notice": reverse("gongkai:notice", args=[slug, notice.pk]),
        "notice_print": reverse("gongkai:notice_print", args=[slug, notice.pk]),
        "notice_question": reverse("gongkai:notice_question", args=[slug, notice.pk]),
        "attachment": reverse("gongkai:attachment", args=[attachment.pk]),
    }


def list_pages(slug) -> dict[str, str]:
    return {
        "board_index": reverse("gongkai:board_index"),
        "board": reverse("gongkai:board", args=[slug]),
        "board_filtered": reverse("gongkai:board", args=[slug]) + "?category=party&year=2005",
        "search": reverse("gongkai:search") + "?q=党费",
        "search_title": reverse("gongkai:search") + "?q=" + INTERNAL_TITLE,
        "board_feed": reverse("gongkai:board_feed", args=[slug]),
        "meeting_list": reverse("gongkai:meeting_list", args=[slug]),
        "case_file": reverse("gongkai:case_file"),
        "case_query": reverse("gongkai:case_query"),
        "rights_index": reverse("gongkai:rights_index") + "?year=2005",
        "rights_method": reverse("gongkai:rights_method"),
        "rights_community": reverse("gongkai:rights_community", args=[slug]) + "?year=2005",
    }


def test_every_public_url_kind_is_covered(pair):
    """A new public page must be added to public_urls or list_pages, and so to the checks below."""
    kinds = set(public_urls(pair["internal"], pair["internal_file"])) | set(list_pages("x"))
    # a meeting's trail and opinion form show no notice but public ones: tests/disclosure/test_decisions.py
    kinds |= {"meeting_trail", "meeting_opinion"}
    # the read beacon (POST) and the QR code's redirect (302) count reads of public notices only:
    # tests/disclosure/test_rights_index.py checks both are 404 for a notice that is not public
    kinds |= {"notice_read", "notice_qr"}
    assert url_names_of("gongkai") <= kinds


def test_internal_notice_is_unreachable_on_the_public_boards(personas, pair):
    internal, public = pair["internal"], pair["public"]
    for url in public_urls(internal, pair["internal_file"]).values():
        check_matrix(personas, url, NOBODY)
    for url in public_urls(public, pair["public_file"]).values():
        check_matrix(personas, url, EVERYONE)


def test_internal_notice_is_absent_from_lists_feed_search_and_counts(client, pair):
    internal, public = pair["internal"], pair["public"]
    pages = {name: client.get(url) for name, url in list_pages(public.board.slug).items()}
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        if name.startswith("search"):  # the query itself is echoed in the search box
            assert response.context["results"] == [], name
        else:
            assert INTERNAL_TITLE not in text, name
        assert "党费明细" not in text and f"/{internal.pk}/" not in text, name
    for name in ("board", "board_feed"):
        assert PUBLIC_TITLE in pages[name].content.decode(), name
    found = client.get(reverse("gongkai:search"), {"q": "低保"}).content.decode()
    assert PUBLIC_TITLE in found.replace("<mark>", "").replace("</mark>", "")  # matched words are marked
    counts = index_counts()
    assert counts[public.board.slug] == 1
    assert re.search(r"1\s*(条|notice)", pages["board_index"].content.decode())
    assert selectors.board_years(public.board) == [2005]


def test_internal_notice_years_alone_do_not_show(client, secretary_a, staff, approver, community_a):
    """A board with only internal notices has no years and a zero count: their existence leaks nothing."""
    published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=dues_item(),
        title=INTERNAL_TITLE,
    )
    board = Notice.objects.get().board
    assert selectors.board_years(board) == []
    assert index_counts()[board.slug] == 0
    assert not selectors.has_published_notices(board)


def test_staff_and_own_secretary_still_read_it_internally(personas, pair):
    internal = pair["internal"]
    detail = reverse("disclosure:notice_detail", args=[internal.pk])
    check_matrix(personas, detail, {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404})
    from django.test import Client

    for persona in ("staff", "secretary_a"):
        client = Client()
        client.force_login(personas[persona])
        page = client.get(detail).content.decode()
        assert INTERNAL_TITLE in page
        # no print view with a QR code and no "public page" link for a page that does not exist
        assert reverse("gongkai:notice_print", args=[internal.board.slug, internal.pk]) not in page
        assert reverse("gongkai:notice", args=[internal.board.slug, internal.pk]) not in page
        assert 'data-testid="notice-internal"' in page
        listing = client.get(reverse("disclosure:notice_list")).content.decode()
        assert INTERNAL_TITLE in listing
        download = client.get(reverse("disclosure:attachment_download", args=[pair["internal_file"].pk]))
        assert download.status_code == 200, persona


def test_the_rule_in_one_place(pair, staff):
    internal, public = pair["internal"], pair["public"]
    assert list(Notice.objects.public()) == [public]
    assert list(Attachment.objects.public()) == [pair["public_file"]]
    assert not can_read_anonymously(internal) and can_read_anonymously(public)
    actions = notice_actions(staff, internal)
    assert actions.correct and actions.withdraw and not actions.print and not internal.is_public
    assert notice_actions(staff, public).print and public.is_public


def test_no_questions_on_an_internal_notice(client, pair):
    internal = pair["internal"]
    with pytest.raises(ValidationError):
        services.feedback_submit(notice=internal, body="党费怎么用的？")
    url = reverse("gongkai:notice", args=[internal.board.slug, internal.pk])
    assert client.post(url, {"body": "党费怎么用的？", "name": "", "contact": "", "website": ""}).status_code == 404
    assert not internal.feedback.exists()


def test_demo_data_party_internal_notices_are_not_public(client, db):
    """The demo year (as `seed_demo` loads it) publishes well over a hundred notices of the three
    特定群体 items; anonymously none is listed, counted, searchable or readable."""
    from communities import demo as communities_demo
    from disclosure import demo as disclosure_demo
    from jiedao import demo as jiedao_demo

    out = StringIO()
    communities_demo.load(stdout=out, password="demo-pass-1")
    jiedao_demo.load(stdout=out, password="demo-pass-1")
    disclosure_demo.load(stdout=out, password="demo-pass-1")
    internal = Notice.objects.filter(status=NoticeStatus.PUBLISHED, catalog_item__audience=Audience.GROUP)
    assert internal.count() > 100
    public = Notice.objects.public()
    assert public.exists()
    counts = index_counts()
    for board_slug, count in counts.items():
        assert count == public.filter(board__slug=board_slug).count()
    for notice in internal.select_related("board").order_by("?")[:10]:
        assert client.get(reverse("gongkai:notice", args=[notice.board.slug, notice.pk])).status_code == 404
        assert client.get(reverse("gongkai:notice_print", args=[notice.board.slug, notice.pk])).status_code == 404
    sample = internal.select_related("board").first()
    slug = sample.board.slug
    for url in (
        reverse("gongkai:board", args=[slug]),
        reverse("gongkai:board", args=[slug]) + "?category=party",
        reverse("gongkai:board_feed", args=[slug]),
    ):
        text = client.get(url).content.decode()
        for title in internal.filter(board__slug=slug).values_list("title", flat=True):
            assert title not in text, url
    for word in ("党费", "民主评议党员", "三会一课"):
        page = client.get(reverse("gongkai:search"), {"q": word})
        assert page.context["results"] == [], word
