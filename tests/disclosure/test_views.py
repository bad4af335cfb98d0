"""The permission matrix over every disclosure URL, and the pages' behaviour."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.choices import MeetingKind, NoticeStatus
from disclosure.models import CatalogItem, Feedback, Notice, OpenMeeting
from tests.disclosure.factories import draft, party_item, published, through_chain
from tests.disclosure.test_content import PDF
from tests.matrix import PERSONAS, STAFF_ONLY, assert_matrix_covers, check_matrix, status_for

pytestmark = pytest.mark.django_db

DRAFTERS = STAFF_ONLY | {"secretary_a": 200, "secretary_b": 200}
OWN_BOARD = DRAFTERS | {"secretary_b": 404}
EVERYONE = dict.fromkeys(PERSONAS, 200)
NOBODY = dict.fromkeys(PERSONAS, 404)


@pytest.fixture
def notices(secretary_a, staff, approver, community_a):
    """One notice of board A in each state."""
    result = {"draft": draft(author=secretary_a, community=community_a, title="甲公告")}
    submitted = draft(author=secretary_a, community=community_a, title="乙公告")
    services.notice_submit(actor=secretary_a, notice=submitted)
    result["submitted"] = submitted
    result["published"] = published(
        author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="丙公告"
    )
    withdrawn = published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        title="丁公告",
        period_start=date(2005, 4, 1),
    )
    services.notice_withdraw(actor=staff, notice=withdrawn, reason="重复")
    result["withdrawn"] = withdrawn
    return result


def test_internal_page_matrix(personas, notices, community_a):
    d, p = notices["draft"], notices["published"]
    check_matrix(personas, reverse("disclosure:notice_list"), DRAFTERS)
    check_matrix(personas, reverse("disclosure:notice_create"), DRAFTERS)
    check_matrix(
        personas, reverse("disclosure:notice_create") + f"?board={community_a.disclosure_board.slug}", OWN_BOARD
    )
    check_matrix(
        personas,
        reverse("disclosure:notice_create") + "?board=jiedao-not-a-board",
        DRAFTERS | {"secretary_a": 404, "secretary_b": 404, "staff": 404},
    )
    for name in ("disclosure:notice_detail", "disclosure:notice_update", "disclosure:notice_finance"):
        check_matrix(personas, reverse(name, args=[d.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:notice_detail", args=[p.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:notice_correct", args=[p.pk]), STAFF_ONLY)
    check_matrix(personas, reverse("disclosure:catalog_list"), DRAFTERS)
    check_matrix(personas, reverse("disclosure:catalog_create"), STAFF_ONLY)
    item = d.catalog_item
    check_matrix(personas, reverse("disclosure:catalog_update", args=[item.pk]), STAFF_ONLY)
    check_matrix(personas, reverse("disclosure:timeliness"), STAFF_ONLY)
    check_matrix(personas, reverse("disclosure:feedback_list"), DRAFTERS)  # a secretary: their own board's
    check_matrix(personas, reverse("disclosure:meeting_list"), DRAFTERS)
    check_matrix(personas, reverse("disclosure:meeting_create"), DRAFTERS)


def test_attachment_download_matrix(personas, notices, secretary_a):
    attachment = services.attachment_add(
        actor=secretary_a, notice=notices["draft"], uploaded=SimpleUploadedFile("明细.pdf", PDF)
    )
    check_matrix(personas, reverse("disclosure:attachment_download", args=[attachment.pk]), OWN_BOARD)
    # a draft's file is not public
    check_matrix(personas, reverse("gongkai:attachment", args=[attachment.pk]), NOBODY)


def test_meeting_matrix(personas, staff):
    meeting = OpenMeeting.objects.create(
        kind=MeetingKind.WORKING_COMMITTEE,
        board=services.subdistrict_board(),
        date=date(2005, 3, 15),
        topic="党建示范点创建",
        agenda="确定六个试点社区",
    )
    sub_district_only = STAFF_ONLY | {"secretary_a": 404, "secretary_b": 404}
    check_matrix(personas, reverse("disclosure:meeting_detail", args=[meeting.pk]), sub_district_only)
    check_matrix(personas, reverse("disclosure:meeting_update", args=[meeting.pk]), sub_district_only)


def _fresh(state, secretary_a, staff, approver, community_a, n):
    """A 党务 notice of board A in `state` (the 街道's chain; the 居务/财务 chain of the 监委会 is in
    tests/disclosure/test_matrix_supervision.py)."""
    notice = draft(author=secretary_a, community=community_a, title=f"{state}{n}", item=party_item())
    if state == "draft":
        return notice
    services.notice_submit(actor=secretary_a, notice=notice)
    if state == "submitted":
        return notice
    services.notice_clear(actor=staff, notice=notice)
    if state == "cleared":
        return notice
    services.notice_approve(actor=approver, notice=notice)
    if state == "approved":
        return notice
    return services.notice_publish(actor=staff, notice=notice)


# action, state it needs, expected per persona (302 = done, redirected back), state after success
ACTIONS = [
    ("submit", "draft", DRAFTERS | {"secretary_a": 302, "secretary_b": 404, "staff": 302}, NoticeStatus.SUBMITTED),
    ("clear", "submitted", OWN_BOARD | {"secretary_a": 403, "staff": 302}, NoticeStatus.CLEARED),
    ("approve", "cleared", OWN_BOARD | {"secretary_a": 403, "staff": 302}, NoticeStatus.APPROVED),
    ("publish", "approved", OWN_BOARD | {"secretary_a": 403, "staff": 302}, NoticeStatus.PUBLISHED),
    ("return", "submitted", OWN_BOARD | {"secretary_a": 403, "staff": 302}, NoticeStatus.DRAFT),
    ("withdraw", "published", OWN_BOARD | {"secretary_a": 403, "staff": 302}, NoticeStatus.WITHDRAWN),
]


@pytest.mark.parametrize("action,state,expected,after", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_review_action_matrix(action, state, expected, after, personas, secretary_a, staff, approver, community_a):
    for n, persona in enumerate(PERSONAS):
        notice = _fresh(state, secretary_a, staff, approver, community_a, n)
        got = status_for(
            personas[persona],
            reverse(f"disclosure:notice_{action}", args=[notice.pk]),
            "post",
            {"comment": "理由", "reason": "理由"},
        )
        assert got == expected[persona], (action, persona)
        notice.refresh_from_db()
        assert notice.status == (after if got == 302 and persona in ("secretary_a", "staff") else state), persona


def test_post_only_matrix(personas, notices, secretary_a, staff):
    feedback = services.feedback_submit(notice=notices["published"], body="请问低保标准？")
    # the community answers its own residents' questions: A's secretary too, B's is told 404
    for persona in PERSONAS:
        expected = {"staff": 302, "anonymous": 302, "secretary_a": 302, "secretary_b": 404}.get(persona, 403)
        url = reverse("disclosure:feedback_moderate", args=[feedback.pk])
        assert status_for(personas[persona], url, "post", {"show": "1"}) == expected, persona
    check_matrix(personas, reverse("disclosure:feedback_answer", args=[feedback.pk]), OWN_BOARD)
    expected = DRAFTERS | {"secretary_a": 302, "secretary_b": 404, "staff": 302}
    for persona in PERSONAS:
        notice = draft(author=secretary_a, community=notices["draft"].board.community, title=persona)
        url = reverse("disclosure:attachment_upload", args=[notice.pk])
        got = status_for(personas[persona], url, "post", {"file": SimpleUploadedFile("a.pdf", PDF)})
        assert got == expected[persona], persona
        assert notice.attachments.exists() == (persona in ("secretary_a", "staff"))


def test_public_pages_are_open_to_everyone(personas, notices):
    p = notices["published"]
    slug = p.board.slug
    for url in (
        reverse("gongkai:board_index"),
        reverse("gongkai:board", args=[slug]),
        reverse("gongkai:search") + "?q=丙公告",
        reverse("gongkai:notice", args=[slug, p.pk]),
        reverse("gongkai:notice_print", args=[slug, p.pk]),
        reverse("gongkai:notice_question", args=[slug, p.pk]),
        reverse("gongkai:board_feed", args=[slug]),
    ):
        check_matrix(personas, url, EVERYONE)


@pytest.mark.parametrize("state", ["draft", "submitted", "withdrawn"])
def test_unpublished_notices_are_missing_in_public(state, personas, notices):
    n = notices[state]
    check_matrix(personas, reverse("gongkai:notice", args=[n.board.slug, n.pk]), NOBODY)
    check_matrix(personas, reverse("gongkai:notice_print", args=[n.board.slug, n.pk]), NOBODY)
    check_matrix(personas, reverse("gongkai:notice_question", args=[n.board.slug, n.pk]), NOBODY)


def test_public_lists_show_only_published_notices(client, notices):
    slug = notices["published"].board.slug
    pages = [
        client.get(reverse("gongkai:board", args=[slug])).content.decode(),
        client.get(reverse("gongkai:search"), {"q": "公告"})
        .content.decode()
        .replace("<mark>", "")
        .replace("</mark>", ""),
        client.get(reverse("gongkai:board_feed", args=[slug])).content.decode(),
    ]
    for page in pages:
        assert "丙公告" in page
        assert "甲公告" not in page and "乙公告" not in page and "丁公告" not in page


def test_secretary_list_shows_only_own_board(client, secretary_b, notices, community_b):
    client.force_login(secretary_b)
    page = client.get(reverse("disclosure:notice_list")).content.decode()
    assert "丙公告" not in page and "甲公告" not in page


def test_secretary_cannot_post_a_draft_to_another_board(client, secretary_b, community_a, notices):
    client.force_login(secretary_b)
    before = Notice.objects.count()
    response = client.post(
        reverse("disclosure:notice_create"),
        {
            "board": community_a.disclosure_board.pk,
            "catalog_item": notices["draft"].catalog_item.pk,
            "title": "越权",
            "body": "<p>x</p>",
            "period_start": "2005-03-01",
        },
    )
    assert response.status_code == 200 and Notice.objects.count() == before  # the board is not a valid choice


def test_draft_form_keeps_input_and_shows_the_error(client, secretary_a, community_a, notices):
    client.force_login(secretary_a)
    response = client.post(
        reverse("disclosure:notice_create"),
        {
            "board": community_a.disclosure_board.pk,
            "catalog_item": notices["draft"].catalog_item.pk,
            "title": "低保名单",
            "body": "<p>王秀英 身份证 510108197001010011</p>",
            "period_start": "2005-03-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "低保名单" in page
    assert "身份证号或手机号" in page


def test_a_resident_question_is_moderated_then_answered_publicly(client, staff, notices):
    notice = notices["published"]
    url = reverse("gongkai:notice", args=[notice.board.slug, notice.pk])
    response = client.post(
        url, {"body": "低保标准是多少？请回电 13812345678", "name": "王", "contact": "13987654321", "website": ""}
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.contact == "13987654321" and feedback.due_on > timezone.localdate()
    page = client.get(url).content.decode()
    assert "低保标准是多少" not in page  # not before moderation
    staff_client = type(client)()
    staff_client.force_login(staff)
    staff_client.post(reverse("disclosure:feedback_answer", args=[feedback.pk]), {"answer": "每月 300 元。"})
    page = client.get(url).content.decode()
    assert "低保标准是多少" in page and "每月 300 元" in page
    assert "13987654321" not in page and "13812345678" not in page and "138****5678" in page


def test_honeypot_keeps_nothing(client, notices):
    notice = notices["published"]
    response = client.post(
        reverse("gongkai:notice", args=[notice.board.slug, notice.pk]),
        {"body": "广告", "website": "http://spam.invalid"},
    )
    assert response.status_code == 302 and not Feedback.objects.exists()


def test_questions_are_rate_limited(client, notices, settings):
    settings.DISCLOSURE_FEEDBACK_PER_HOUR = 2
    from django.core.cache import cache

    cache.clear()
    notice = notices["published"]
    url = reverse("gongkai:notice", args=[notice.board.slug, notice.pk])
    codes = [client.post(url, {"body": f"问题{i}"}, REMOTE_ADDR="10.9.8.7").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Feedback.objects.count() == 2
    assert client.post(url, {"body": "另一台设备"}, REMOTE_ADDR="10.9.8.8").status_code == 302


def test_print_view_has_a_qr_code_and_a4_css(client, notices):
    notice = notices["published"]
    page = client.get(reverse("gongkai:notice_print", args=[notice.board.slug, notice.pk])).content.decode()
    assert "<svg" in page and 'class="segno"' in page
    assert f"/gongkai/{notice.board.slug}/{notice.pk}/" in page
    assert "disclosure-print.css" in page
    from django.contrib.staticfiles import finders

    with open(finders.find("css/disclosure-print.css")) as css:
        assert "size: A4" in css.read()


def test_public_attachment_is_a_download(client, secretary_a, staff, approver, community_a):
    notice = draft(author=secretary_a, community=community_a)
    attachment = services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("明细.pdf", PDF))
    through_chain(notice, author=secretary_a, reviewer=staff, approver=approver)
    response = client.get(reverse("gongkai:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_corrected_notice_is_marked_with_history(client, staff, notices):
    notice = notices["published"]
    services.notice_correct(
        actor=staff, notice=notice, title=notice.title, body="<p>更正后的正文</p>", reason="户数有误"
    )
    page = client.get(reverse("gongkai:notice", args=[notice.board.slug, notice.pk])).content.decode()
    assert "已更正" in page and "户数有误" in page and "更正后的正文" in page and "收支如下" in page
    feed = client.get(reverse("gongkai:board_feed", args=[notice.board.slug])).content.decode()
    assert "已更正" in feed


def test_board_filters_by_category_and_period(client, secretary_a, staff, approver, community_a):
    from tests.disclosure.factories import CatalogItemFactory

    party = CatalogItemFactory(category="party", name="党费收缴", frequency="half_yearly")
    published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="三月低保")
    published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=party,
        title="下半年党费",
        period_start=date(2005, 7, 1),
    )
    url = reverse("gongkai:board", args=[community_a.disclosure_board.slug])
    page = client.get(url, {"category": "party"}).content.decode()
    assert "下半年党费" in page and "三月低保" not in page
    page = client.get(url, {"year": "2005", "month": "1"}).content.decode()
    assert "三月低保" in page and "下半年党费" not in page  # the quarter Jan–Mar


def test_internal_lists_use_a_fixed_number_of_queries(
    client, staff, secretary_a, approver, community_a, django_assert_max_num_queries
):
    from tests.disclosure.test_public_pages import bulk_published

    first = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="首条")
    services.feedback_submit(notice=first, body="问")
    OpenMeeting.objects.create(
        kind=MeetingKind.WORKING_COMMITTEE,
        board=services.subdistrict_board(),
        date=date(2005, 1, 18),
        topic="会议",
        agenda="议程",
    )
    urls = [
        reverse("disclosure:notice_list"),
        reverse("disclosure:feedback_list") + "?status=all",
        reverse("disclosure:meeting_list"),
        reverse("disclosure:timeliness") + "?year=2005",
        reverse("disclosure:catalog_list"),
        reverse("disclosure:notice_detail", args=[first.pk]),
    ]
    client.force_login(staff)

    def counts():
        result = []
        for url in urls:
            with django_assert_max_num_queries(40) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured.captured_queries))
        return result

    few = counts()
    bulk_published(first.board, first.catalog_item, secretary_a, 40)
    for i in range(10):
        services.feedback_submit(notice=first, body=f"问{i}")
        OpenMeeting.objects.create(
            kind=MeetingKind.WORKING_COMMITTEE,
            board=services.subdistrict_board(),
            date=date(2005, 2, 1 + i),
            topic=f"会议{i}",
            agenda="议程",
        )
    assert counts() == few


def test_board_and_search_link_to_the_notice_pages(client, notices):
    notice = notices["published"]
    href = f'href="{reverse("gongkai:notice", args=[notice.board.slug, notice.pk])}"'
    assert href in client.get(reverse("gongkai:board", args=[notice.board.slug])).content.decode()
    assert href in client.get(reverse("gongkai:search"), {"q": "丙公告"}).content.decode()
    page = client.get(reverse("gongkai:board", args=[notice.board.slug]), {"year": "2005", "month": "3"})
    assert 'value="2005" selected' in page.content.decode() and 'value="3" selected' in page.content.decode()


def test_remaining_post_urls_matrix(personas, secretary_a, staff, approver, community_a):
    """Every other URL that writes: who may, who gets 403, who gets 404, and nothing changes for them."""
    item = draft(author=secretary_a, community=community_a).catalog_item
    writers = {"secretary_a": 302, "staff": 302}
    for persona in PERSONAS:
        notice = draft(author=secretary_a, community=community_a, title=f"附件{persona}")
        attachment = services.attachment_add(
            actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("a.pdf", PDF)
        )
        got = status_for(personas[persona], reverse("disclosure:attachment_delete", args=[attachment.pk]), "post")
        assert got == (DRAFTERS | {"secretary_b": 404} | writers)[persona], persona
        assert notice.attachments.exists() == (persona not in writers), persona

        got = status_for(
            personas[persona],
            reverse("disclosure:notice_update", args=[notice.pk]),
            "post",
            {"catalog_item": item.pk, "title": "改", "body": "<p>改</p>", "period_start": "2005-03-01"},
        )
        assert got == (DRAFTERS | {"secretary_b": 404} | writers)[persona], persona
        notice.refresh_from_db()
        assert (notice.title == "改") == (persona in writers), persona

        pub = published(
            author=secretary_a, reviewer=staff, approver=approver, community=community_a, title=f"更正{persona}"
        )
        got = status_for(
            personas[persona],
            reverse("disclosure:notice_correct", args=[pub.pk]),
            "post",
            {"title": "新", "body": "<p>新</p>", "reason": "理由"},
        )
        assert got == (STAFF_ONLY | {"staff": 302})[persona], persona
        pub.refresh_from_db()
        assert pub.revision == (2 if persona == "staff" else 1), persona

        meeting = OpenMeeting.objects.create(
            kind=MeetingKind.WORKING_COMMITTEE,
            board=services.subdistrict_board(),
            date=date(2005, 3, 15),
            topic=f"会议{persona}",
            agenda="议程",
        )
        got = status_for(personas[persona], reverse("disclosure:meeting_notice", args=[meeting.pk]), "post")
        assert got == (STAFF_ONLY | {"secretary_a": 404, "secretary_b": 404, "staff": 302})[persona], persona
        meeting.refresh_from_db()
        assert (meeting.notice_id is not None) == (persona == "staff"), persona

    count = CatalogItem.objects.count()
    for persona in PERSONAS:
        got = status_for(
            personas[persona],
            reverse("disclosure:catalog_create"),
            "post",
            {
                "category": "party",
                "name": f"新事项{persona}",
                "content": "内容",
                "frequency": "yearly",
                "deadline_workdays": 10,
                "subject": "社区党组织",
                "channel": "公开栏",
                "audience": "public",
                "mode": "proactive",
                "level": "community",
                "active": "on",
                "order": 0,
            },
        )
        assert got == (STAFF_ONLY | {"staff": 302})[persona], persona
    assert CatalogItem.objects.count() == count + 1


def test_attachment_delete_and_meeting_notice_matrix(personas, notices, secretary_a, staff):
    drafters_post = DRAFTERS | {"secretary_a": 302, "secretary_b": 404, "staff": 302}
    for persona in PERSONAS:
        attachment = services.attachment_add(
            actor=secretary_a, notice=notices["draft"], uploaded=SimpleUploadedFile(f"{persona}.pdf", PDF)
        )
        got = status_for(personas[persona], reverse("disclosure:attachment_delete", args=[attachment.pk]), "post")
        assert got == drafters_post[persona], persona
        assert notices["draft"].attachments.filter(pk=attachment.pk).exists() == (
            persona not in ("secretary_a", "staff")
        )
    sub_district_post = drafters_post | {"secretary_a": 404}
    for persona in PERSONAS:
        meeting = OpenMeeting.objects.create(
            kind=MeetingKind.WORKING_COMMITTEE,
            board=services.subdistrict_board(),
            date=date(2005, 3, 15),
            topic=f"议题{persona}",
            agenda="议程",
        )
        got = status_for(personas[persona], reverse("disclosure:meeting_notice", args=[meeting.pk]), "post")
        assert got == sub_district_post[persona], persona
        meeting.refresh_from_db()
        assert (meeting.notice_id is not None) == (persona == "staff"), persona


def _names_checked_here(namespace: str) -> set[str]:
    """The URL names this module and the feature matrices beside it (test_matrix_*.py) request:
    every `"<namespace>:<name>"` in their text, plus the review steps of ACTIONS (requested as
    f"disclosure:notice_{action}")."""
    here = Path(__file__)
    text = "\n".join(p.read_text() for p in [here, *sorted(here.parent.glob("test_matrix_*.py"))])
    names = set(re.findall(rf'"{namespace}:(\w+)"', text))
    if namespace == "disclosure":
        names |= {f"notice_{action}" for action, *_rest in ACTIONS}
    return names


@pytest.mark.parametrize("namespace", ["disclosure", "gongkai"])
def test_every_url_is_in_the_permission_matrix(namespace):
    assert_matrix_covers(namespace, _names_checked_here(namespace))
