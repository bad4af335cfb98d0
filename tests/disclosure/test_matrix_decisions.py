"""The permission matrix of the decision trails and the event ledger (disclosure:meeting_trail,
meeting_announce, decision_*, opinion_moderate, event_*; gongkai:meeting_*): every URL as every
persona. A meeting of community A's board is kept by staff and A's secretary; B's secretary gets
404; the public trail is open to everyone once the meeting is announced, and 404 before.
test_views.py's coverage test reads the URL names requested here."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.choices import FeedbackStatus, MeetingKind
from disclosure.models import Decision, DecisionItem, DisclosureEvent, EventKind, MeetingOpinion, OpenMeeting
from tests.disclosure.factories import CatalogItemFactory, board_of
from tests.matrix import PERSONAS, PUBLIC, STAFF_ONLY, check_matrix, status_for

pytestmark = pytest.mark.django_db

DRAFTERS = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200}
OWN_BOARD = {**DRAFTERS, "secretary_b": 404}
OWN_BOARD_POST = {**OWN_BOARD, "staff": 302, "secretary_a": 302}
READERS_AND_SECRETARIES = {**DRAFTERS, "inspector": 200, "auditor": 200}
NOBODY = dict.fromkeys(PERSONAS, 404)


def council_item():
    return CatalogItemFactory(category="residents", name="民主议事会决议", frequency="event", deadline_workdays=5)


@pytest.fixture
def meeting(community_a, secretary_a):
    meeting = OpenMeeting.objects.create(
        kind=MeetingKind.COUNCIL,
        board=board_of(community_a),
        date=timezone.localdate() + timedelta(days=10),
        topic="老旧小区加装电梯",
        agenda="讨论加装电梯方案及费用分摊",
    )
    return services.meeting_announce(
        actor=secretary_a, meeting=meeting, opinions_until=timezone.localdate() + timedelta(days=5)
    )


def test_internal_trail_pages(personas, meeting):
    opinion = services.opinion_submit(meeting=meeting, body="建议按楼层分摊")
    MeetingOpinion.objects.filter(pk=opinion.pk).update(status=FeedbackStatus.PUBLISHED)
    OpenMeeting.objects.filter(pk=meeting.pk).update(date=date(2005, 6, 18))
    decision = Decision.objects.create(meeting=meeting, title="通过加装方案", text="一楼不分摊")
    item = DecisionItem.objects.create(decision=decision, task="招标", owner="居委会", due_on=date(2005, 9, 30))
    check_matrix(personas, reverse("disclosure:meeting_trail", args=[meeting.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:meeting_announce", args=[meeting.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:decision_create", args=[meeting.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:decision_update", args=[decision.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:decision_item_create", args=[decision.pk]), OWN_BOARD)
    check_matrix(personas, reverse("disclosure:decision_item_update", args=[item.pk]), OWN_BOARD)


def test_opinion_moderation(personas, meeting):
    for persona in PERSONAS:
        opinion = services.opinion_submit(meeting=meeting, body=f"意见{persona}")
        url = reverse("disclosure:opinion_moderate", args=[opinion.pk])
        assert status_for(personas[persona], url, "post", {"show": "1"}) == OWN_BOARD_POST[persona], persona
        opinion.refresh_from_db()
        assert opinion.is_shown == (persona in ("staff", "secretary_a")), persona


def test_event_pages(personas, community_a, secretary_a):
    check_matrix(personas, reverse("disclosure:event_list"), READERS_AND_SECRETARIES)
    check_matrix(personas, reverse("disclosure:event_create"), DRAFTERS)
    item = council_item()
    for persona in PERSONAS:
        event = services.event_record(
            actor=secretary_a,
            event=DisclosureEvent(
                community=community_a,
                catalog_item=item,
                kind=EventKind.COUNCIL_DECISION,
                title=f"议事会决议{persona}",
                occurred_on=date(2005, 6, 18),
            ),
        )
        got = status_for(personas[persona], reverse("disclosure:event_notice", args=[event.pk]), "post")
        assert got == OWN_BOARD_POST[persona], persona
        event.refresh_from_db()
        assert (event.notice_id is not None) == (persona in ("staff", "secretary_a")), persona


def test_public_trail_pages(personas, meeting, community_a):
    slug = meeting.board.slug
    check_matrix(personas, reverse("gongkai:meeting_list", args=[slug]), PUBLIC)
    check_matrix(personas, reverse("gongkai:meeting_trail", args=[slug, meeting.pk]), PUBLIC)
    check_matrix(personas, reverse("gongkai:meeting_opinion", args=[slug, meeting.pk]), PUBLIC)
    unannounced = OpenMeeting.objects.create(
        kind=MeetingKind.COUNCIL, board=meeting.board, date=date(2005, 3, 1), topic="未公告", agenda="内部"
    )
    check_matrix(personas, reverse("gongkai:meeting_trail", args=[slug, unannounced.pk]), NOBODY)
    check_matrix(personas, reverse("gongkai:meeting_opinion", args=[slug, unannounced.pk]), NOBODY)
