"""Deciding with residents, then showing what was done: a meeting announced with its agenda and an
opinion period, residents' opinions moderated like notice questions, the decision linked to the
opinions heard, implementation items with progress, and the public decision trail."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from communities import demo as communities_demo
from disclosure import demo as disclosure_demo
from disclosure import demo_decisions, services
from disclosure.choices import MeetingKind
from disclosure.models import Decision, DecisionItem, DecisionItemStatus, MeetingOpinion, OpenMeeting
from disclosure.selectors.decisions import public_meetings
from jiedao import demo as jiedao_demo
from jiedao.pagecache import new_public_version
from tests.disclosure.factories import board_of, published
from tests.disclosure.test_internal_notices import dues_item

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def meeting(community_a):
    return OpenMeeting.objects.create(
        kind=MeetingKind.COUNCIL,
        board=board_of(community_a),
        date=today() + timedelta(days=10),
        topic="老旧小区加装电梯",
        agenda="一、加装电梯方案\n二、费用分摊办法",
    )


def announce(meeting, actor, days=5):
    return services.meeting_announce(actor=actor, meeting=meeting, opinions_until=today() + timedelta(days=days))


def hold(meeting):
    """The meeting took place (its date moves to the past)."""
    OpenMeeting.objects.filter(pk=meeting.pk).update(date=today() - timedelta(days=1))
    meeting.refresh_from_db()
    return meeting


def test_announcing_needs_a_coming_meeting_and_a_period_before_it(meeting, secretary_a, secretary_b):
    with pytest.raises(ValidationError):
        services.meeting_announce(actor=secretary_a, meeting=meeting, opinions_until=meeting.date)
    with pytest.raises(ValidationError):
        services.meeting_announce(actor=secretary_a, meeting=meeting, opinions_until=today() - timedelta(days=1))
    with pytest.raises(Http404):
        announce(meeting, secretary_b)
    assert OpenMeeting.objects.get(pk=meeting.pk).announced_at is None
    announce(meeting, secretary_a)
    assert meeting.announced_at is not None and services.opinions_open(meeting)


def test_opinions_wait_for_moderation_and_never_show_the_contact(client, meeting, secretary_a):
    announce(meeting, secretary_a)
    url = reverse("gongkai:meeting_opinion", args=[meeting.board.slug, meeting.pk])
    response = client.post(url, {"body": "建议一楼住户不分摊费用", "name": "王阿姨", "contact": "13812345678"})
    assert response.status_code == 302
    opinion = MeetingOpinion.objects.get()
    assert opinion.is_pending and opinion.contact == "13812345678"
    trail = reverse("gongkai:meeting_trail", args=[meeting.board.slug, meeting.pk])
    assert "建议一楼住户不分摊费用" not in client.get(trail).content.decode()
    services.opinion_moderate(actor=secretary_a, opinion=opinion, show=True)
    page = client.get(trail).content.decode()
    assert "建议一楼住户不分摊费用" in page and "13812345678" not in page and "王阿姨" not in page
    assert client.post(url, {"body": ""}).status_code == 400
    assert MeetingOpinion.objects.count() == 1


def test_no_opinion_after_the_period(client, meeting, secretary_a):
    announce(meeting, secretary_a, days=0)
    OpenMeeting.objects.filter(pk=meeting.pk).update(opinions_until=today() - timedelta(days=1))
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.opinion_submit(meeting=meeting, body="晚了")
    url = reverse("gongkai:meeting_opinion", args=[meeting.board.slug, meeting.pk])
    assert client.get(url).status_code == 404
    assert not MeetingOpinion.objects.exists()


def test_a_decision_links_only_shown_opinions_of_its_meeting(meeting, secretary_a, community_a):
    announce(meeting, secretary_a)
    shown = services.opinion_submit(meeting=meeting, body="按楼层分摊")
    services.opinion_moderate(actor=secretary_a, opinion=shown, show=True)
    rejected = services.opinion_submit(meeting=meeting, body="广告")
    services.opinion_moderate(actor=secretary_a, opinion=rejected, show=False)
    with pytest.raises(ValidationError):  # not held yet
        services.decision_save(
            actor=secretary_a, decision=Decision(meeting=meeting, title="通过", text="通过"), opinions=[shown]
        )
    hold(meeting)
    with pytest.raises(ValidationError):
        services.decision_save(
            actor=secretary_a, decision=Decision(meeting=meeting, title="通过", text="通过"), opinions=[rejected]
        )
    assert not Decision.objects.exists()
    decision = services.decision_save(
        actor=secretary_a,
        decision=Decision(
            meeting=meeting, title="通过加装电梯方案", text="费用按楼层分摊", votes_for=23, votes_against=2
        ),
        opinions=[shown],
    )
    assert list(decision.opinions_heard.all()) == [shown]


def test_items_link_only_public_records_of_the_community_and_done_means_complete(
    meeting, secretary_a, staff, approver, community_a, community_b, secretary_b
):
    hold(meeting)
    decision = services.decision_save(
        actor=secretary_a, decision=Decision(meeting=meeting, title="通过方案", text="分三期实施")
    )
    internal = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, item=dues_item())
    other = published(author=secretary_b, reviewer=staff, approver=approver, community=community_b, title="乙")
    for notice in (internal, other):
        with pytest.raises(ValidationError):
            services.decision_item_save(
                actor=secretary_a,
                item=DecisionItem(decision=decision, task="签订合同", owner="居委会", due_on=today(), notice=notice),
            )
    with pytest.raises(ValidationError):  # 100 % is done, not in progress
        services.decision_item_save(
            actor=secretary_a,
            item=DecisionItem(
                decision=decision,
                task="招标",
                owner="居委会",
                due_on=today(),
                status=DecisionItemStatus.IN_PROGRESS,
                progress=100,
            ),
        )
    assert not DecisionItem.objects.exists()
    item = services.decision_item_save(
        actor=secretary_a,
        item=DecisionItem(
            decision=decision, task="招标", owner="居委会", due_on=today(), status=DecisionItemStatus.DONE
        ),
    )
    assert item.progress == 100 and item.done_on == today()


def test_the_public_trail_shows_agenda_opinions_decision_items_and_result(
    client, meeting, secretary_a, staff, approver, community_a, django_assert_max_num_queries
):
    announce(meeting, secretary_a)
    heard = services.opinion_submit(meeting=meeting, body="建议一楼住户不分摊费用", contact="13900001111")
    services.opinion_moderate(actor=secretary_a, opinion=heard, show=True)
    hold(meeting)
    decision = services.decision_save(
        actor=secretary_a,
        decision=Decision(
            meeting=meeting,
            title="通过加装电梯方案",
            text="费用按楼层分摊，一楼不分摊",
            response="采纳了一楼住户不分摊的意见",
            result="三部电梯已投入使用",
            votes_for=23,
            votes_against=2,
        ),
        opinions=[heard],
    )
    contract = published(
        author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="电梯安装合同公示"
    )
    for task, status, progress in (
        ("公开招标", DecisionItemStatus.DONE, 100),
        ("安装施工", DecisionItemStatus.IN_PROGRESS, 60),
    ):
        services.decision_item_save(
            actor=secretary_a,
            item=DecisionItem(
                decision=decision,
                task=task,
                owner="居委会主任",
                due_on=today() + timedelta(days=30),
                status=status,
                progress=progress,
                notice=contract if task == "公开招标" else None,
            ),
        )
    url = reverse("gongkai:meeting_trail", args=[meeting.board.slug, meeting.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    for text in (
        "一、加装电梯方案",
        "建议一楼住户不分摊费用",
        "通过加装电梯方案",
        "采纳了一楼住户不分摊的意见",
        "公开招标",
        "安装施工",
        "60%",
        "电梯安装合同公示",
        "三部电梯已投入使用",
    ):
        assert text in page, text
    assert "13900001111" not in page
    assert (
        page.index("一、加装电梯方案")
        < page.index("建议一楼住户不分摊费用")
        < page.index("费用按楼层分摊")
        < page.index("安装施工")
        < page.index("三部电梯已投入使用")
    )
    listing = client.get(reverse("gongkai:meeting_list", args=[meeting.board.slug])).content.decode()
    assert "老旧小区加装电梯" in listing
    board_page = client.get(reverse("gongkai:board", args=[meeting.board.slug])).content.decode()
    assert reverse("gongkai:meeting_list", args=[meeting.board.slug]) in board_page


def test_the_trail_page_costs_the_same_with_more_decisions_and_items(
    client, meeting, secretary_a, django_assert_max_num_queries
):
    announce(meeting, secretary_a)
    hold(meeting)
    url = reverse("gongkai:meeting_trail", args=[meeting.board.slug, meeting.pk])

    def add(n):
        for i in range(n):
            opinion = (
                services.opinion_submit(meeting=meeting, body=f"意见{i}") if services.opinions_open(meeting) else None
            )
            decision = Decision.objects.create(meeting=meeting, title=f"决定{i}", text="内容")
            if opinion:
                decision.opinions_heard.add(opinion)
            for j in range(3):
                DecisionItem.objects.create(decision=decision, task=f"任务{i}-{j}", owner="居委会", due_on=today())

    add(1)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    add(5)
    new_public_version()  # written past the services (which bump it): the kept page is retired by hand
    with django_assert_max_num_queries(12) as many:
        assert "决定4" in client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_unannounced_meeting_is_not_public(client, meeting, staff):
    assert client.get(reverse("gongkai:meeting_trail", args=[meeting.board.slug, meeting.pk])).status_code == 404
    assert (
        "老旧小区加装电梯"
        not in client.get(reverse("gongkai:meeting_list", args=[meeting.board.slug])).content.decode()
    )


def test_the_office_sees_every_opinion_with_its_contact(client, meeting, secretary_a, secretary_b):
    announce(meeting, secretary_a)
    services.opinion_submit(meeting=meeting, body="请考虑低楼层", contact="13700002222")
    client.force_login(secretary_a)
    page = client.get(reverse("disclosure:meeting_trail", args=[meeting.pk])).content.decode()
    assert "请考虑低楼层" in page and "13700002222" in page
    client.force_login(secretary_b)
    assert client.get(reverse("disclosure:meeting_trail", args=[meeting.pk])).status_code == 404


def test_the_demo_keeps_the_16_meetings_of_2005_with_opinions_decisions_and_full_trails(client, db):
    out = StringIO()
    communities_demo.load(stdout=out, password="demo-pass-1")
    jiedao_demo.load(stdout=out, password="demo-pass-1")
    disclosure_demo.load(stdout=out, password="demo-pass-1")
    assert demo_decisions.load(stdout=out) == 0  # once: a second run adds nothing
    meetings = OpenMeeting.objects.filter(date__year=2005)
    assert meetings.filter(kind=MeetingKind.WORKING_COMMITTEE).count() == 16
    for meeting in meetings:
        assert meeting.announced_at.date() < meeting.date and meeting.opinions_until < meeting.date
        decision = meeting.decision_records.get()
        assert decision.opinions_heard.filter(meeting=meeting).count() == 2
    full = Decision.objects.filter(items__isnull=False).exclude(result="").distinct()
    assert full.count() >= 3
    trail = Decision.objects.get(meeting__topic="示范点创建经费补助")
    page = client.get(
        reverse("gongkai:meeting_trail", args=[trail.meeting.board.slug, trail.meeting.pk])
    ).content.decode()
    assert "拨付建设社区创建补助" in page and "40万元补助已全部拨付到位" in page


def test_the_kept_public_trail_shows_each_change_at_the_next_request(client, meeting, secretary_a):
    """The meeting list and the trail are kept for visitors; every service that changes what they
    show renews them (public-version bump), so nothing stale is ever served."""
    listing = reverse("gongkai:meeting_list", args=[meeting.board.slug])
    trail = reverse("gongkai:meeting_trail", args=[meeting.board.slug, meeting.pk])
    assert "老旧小区加装电梯" not in client.get(listing).content.decode()
    announce(meeting, secretary_a)
    assert "老旧小区加装电梯" in client.get(listing).content.decode()

    first = client.get(trail)
    assert client.get(trail, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # kept: revalidated
    opinion = services.opinion_submit(meeting=meeting, body="建议增设无障碍坡道")
    assert "建议增设无障碍坡道" not in client.get(trail).content.decode()  # not shown before moderation
    services.opinion_moderate(actor=secretary_a, opinion=opinion, show=True)
    assert "建议增设无障碍坡道" in client.get(trail).content.decode()

    hold(meeting)
    decision = services.decision_save(
        actor=secretary_a, decision=Decision(meeting=meeting, title="通过坡道方案", text="增设坡道"), opinions=[opinion]
    )
    assert "通过坡道方案" in client.get(trail).content.decode()
    services.decision_item_save(
        actor=secretary_a,
        item=DecisionItem(
            decision=decision, task="坡道施工", owner="居委会", due_on=today() + timedelta(days=9), progress=30
        ),
    )
    assert "坡道施工" in client.get(trail).content.decode()
    meeting.topic = "老旧小区加装电梯和坡道"
    services.meeting_save(actor=secretary_a, meeting=meeting)
    assert "老旧小区加装电梯和坡道" in client.get(listing).content.decode()


def test_the_meeting_list_counts_each_opinion_and_decision_once(client, meeting, secretary_a):
    """Two shown opinions (and a hidden one) and two decisions: 2 opinions and 2 decisions, not the
    four rows of opinions × decisions."""
    announce(meeting, secretary_a)
    for body, show in (("按楼层分摊", True), ("一楼免交", True), ("广告", False)):
        services.opinion_moderate(
            actor=secretary_a, opinion=services.opinion_submit(meeting=meeting, body=body), show=show
        )
    hold(meeting)
    for title in ("通过加装电梯方案", "成立业主监督小组"):
        services.decision_save(actor=secretary_a, decision=Decision(meeting=meeting, title=title, text="通过"))
    (listed,) = public_meetings(board=meeting.board)
    assert (listed.shown_opinions, listed.decision_count) == (2, 2)
    page = client.get(reverse("gongkai:meeting_list", args=[meeting.board.slug])).content.decode()
    assert "2条意见" in page.replace(" ", "") and "2项决定" in page.replace(" ", "")
