"""List filters never fail on a bad query string, `?year=` never fails, and the action sets
the templates ask match the review chain."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure import services
from jiedao.permissions import feedback_actions, notice_actions
from tests.disclosure.factories import draft, party_item, through_chain
from tests.disclosure.test_content import PDF
from tests.disclosure.test_views import notices  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["²", "99999", "-1", "abc", "", "2005"])
def test_timeliness_year_never_fails(client, staff, year):
    client.force_login(staff)
    assert client.get(reverse("disclosure:timeliness"), {"year": year}).status_code == 200


def test_notice_list_filters_by_status_and_board(client, secretary_a, staff, notices):  # noqa: F811
    client.force_login(staff)
    url = reverse("disclosure:notice_list")
    page = client.get(url, {"status": "draft"}).content.decode()
    assert "甲公告" in page and "丙公告" not in page
    slug = notices["draft"].board.slug
    page = client.get(url, {"board": slug}).content.decode()
    assert "甲公告" in page and "丙公告" in page
    page = client.get(url, {"board": "jiedao"}).content.decode()
    assert "甲公告" not in page


@pytest.mark.parametrize("query", [{"status": "bogus"}, {"board": "no-such-board"}, {"status": "²"}])
def test_a_bad_notice_filter_shows_everything(client, staff, notices, query):  # noqa: F811
    client.force_login(staff)
    response = client.get(reverse("disclosure:notice_list"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲公告" in page and "丙公告" in page and "丁公告" in page


def test_a_secretary_cannot_filter_on_another_board(client, secretary_b, notices):  # noqa: F811
    client.force_login(secretary_b)
    response = client.get(reverse("disclosure:notice_list"), {"board": notices["draft"].board.slug})
    assert response.status_code == 200 and "甲公告" not in response.content.decode()


def test_feedback_list_defaults_to_pending_on_a_bad_status(client, staff, notices):  # noqa: F811
    pending = services.feedback_submit(notice=notices["published"], body="等待审核的问题")
    shown = services.feedback_submit(notice=notices["published"], body="已经公开的问题")
    services.feedback_moderate(actor=staff, feedback=shown, show=True)
    client.force_login(staff)
    url = reverse("disclosure:feedback_list")
    for query in ({}, {"status": "bogus"}, {"status": "pending"}):
        page = client.get(url, query).content.decode()
        assert pending.body in page and shown.body not in page, query
    page = client.get(url, {"status": "all"}).content.decode()
    assert pending.body in page and shown.body in page
    page = client.get(url, {"status": "published"}).content.decode()
    assert pending.body not in page and shown.body in page


@pytest.mark.parametrize(
    "query",
    [{"year": "²"}, {"year": "99999"}, {"year": "2005", "month": "13"}, {"category": "bogus"}, {"month": "3"}],
)
def test_public_board_ignores_bad_filters(client, notices, query):  # noqa: F811
    response = client.get(reverse("gongkai:board", args=[notices["published"].board.slug]), query)
    assert response.status_code == 200 and "丙公告" in response.content.decode()


def test_public_board_filters_by_category_and_year(client, notices):  # noqa: F811
    url = reverse("gongkai:board", args=[notices["published"].board.slug])
    notice = notices["published"]
    assert "丙公告" in client.get(url, {"category": notice.category}).content.decode()
    other = "party" if notice.category != "party" else "finance"
    assert "丙公告" not in client.get(url, {"category": other}).content.decode()
    year = notice.period_start.year
    assert "丙公告" in client.get(url, {"year": year, "month": notice.period_start.month}).content.decode()
    month = notice.period_start.month % 12 + 1
    assert "丙公告" not in client.get(url, {"year": year, "month": month}).content.decode()


def test_notice_actions_follow_the_review_chain(secretary_a, secretary_b, staff, approver, community_a):
    notice = draft(author=staff, community=community_a, title="审批自己", item=party_item())  # the 街道 chain
    assert notice_actions(secretary_a, notice).edit and notice_actions(staff, notice).submit
    assert not notice_actions(secretary_b, notice).edit
    services.notice_submit(actor=staff, notice=notice)
    assert notice_actions(staff, notice).clear and not notice_actions(secretary_a, notice).clear
    assert notice_actions(staff, notice).return_to_author and not notice_actions(staff, notice).edit
    services.notice_clear(actor=staff, notice=notice)
    mine, theirs = notice_actions(staff, notice), notice_actions(approver, notice)
    assert not mine.approve and mine.approve_own  # the author never approves
    assert theirs.approve and not theirs.approve_own
    services.notice_approve(actor=approver, notice=notice)
    assert notice_actions(staff, notice).publish
    services.notice_publish(actor=staff, notice=notice)
    actions = notice_actions(staff, notice)
    assert actions.correct and actions.withdraw and actions.print and not actions.return_to_author
    assert not any(vars(notice_actions(secretary_a, notice)).values())


def test_the_author_sees_why_they_cannot_approve(client, staff, approver, community_a):
    notice = draft(author=staff, community=community_a, title="自己的公告", item=party_item())
    services.notice_submit(actor=staff, notice=notice)
    services.notice_clear(actor=staff, notice=notice)
    client.force_login(staff)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("disclosure:notice_approve", args=[notice.pk]) not in page
    client.force_login(approver)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("disclosure:notice_approve", args=[notice.pk]) in page


def test_feedback_actions(staff, secretary_a, secretary_b, notices):  # noqa: F811
    feedback = services.feedback_submit(notice=notices["published"], body="问题")
    assert feedback_actions(staff, feedback).moderate and feedback_actions(staff, feedback).answer
    # the community answers its own residents' questions; another community's secretary does not
    assert feedback_actions(secretary_a, feedback).moderate and feedback_actions(secretary_a, feedback).answer
    assert not feedback_actions(secretary_b, feedback).moderate
    services.feedback_moderate(actor=staff, feedback=feedback, show=False)
    assert not feedback_actions(staff, feedback).moderate and not feedback_actions(staff, feedback).answer


def test_both_downloads_are_sandboxed_private_and_never_sniffed(client, secretary_a, staff, approver, community_a):
    notice = draft(author=secretary_a, community=community_a, title="附件公告")
    attachment = services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("表.pdf", PDF))
    through_chain(notice, author=secretary_a, reviewer=staff, approver=approver)
    internal = reverse("disclosure:attachment_download", args=[attachment.pk])
    public = reverse("gongkai:attachment", args=[attachment.pk])
    for url, user in ((internal, secretary_a), (public, None)):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment;")
        client.logout()
