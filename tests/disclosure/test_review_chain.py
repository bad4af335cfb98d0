"""The 街道's review chain 提出 → 保密审核 → 审批 → 发布 (党务 notices here; a community's 居务/财务
notices go to its 居务监督委员会 instead: tests/disclosure/test_supervision.py), immutability and
revisions, withdrawals."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from disclosure import services
from disclosure.choices import NoticeStatus, StepAction
from disclosure.models import Notice, NoticeRevision
from tests.disclosure.factories import draft, party_item, published

pytestmark = pytest.mark.django_db


def test_full_chain_records_every_step_in_order(secretary_a, staff, approver, community_a):
    notice = draft(author=secretary_a, community=community_a, item=party_item())
    assert notice.status == NoticeStatus.DRAFT and notice.author == secretary_a
    services.notice_submit(actor=secretary_a, notice=notice)
    services.notice_clear(actor=staff, notice=notice, comment="无涉密内容")
    services.notice_approve(actor=approver, notice=notice)
    services.notice_publish(actor=staff, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.published_at and notice.revision == 1
    steps = list(notice.steps.values_list("action", "actor__username"))
    assert steps == [
        (StepAction.SUBMIT, "sec_a"),
        (StepAction.CLEAR, "staff1"),
        (StepAction.APPROVE, "staff2"),
        (StepAction.PUBLISH, "staff1"),
    ]
    assert notice.steps.get(action=StepAction.CLEAR).comment == "无涉密内容"


def test_author_cannot_approve_their_own_notice(staff, approver, community_a):
    notice = draft(author=staff, community=community_a, item=party_item())
    services.notice_submit(actor=staff, notice=notice)
    services.notice_clear(actor=staff, notice=notice)
    with pytest.raises(PermissionDenied):
        services.notice_approve(actor=staff, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLEARED
    assert not notice.steps.filter(action=StepAction.APPROVE).exists()
    services.notice_approve(actor=approver, notice=notice)  # another staff member may
    assert notice.status == NoticeStatus.APPROVED


@pytest.mark.parametrize("step", ["clear", "approve", "publish"])
def test_steps_cannot_be_skipped(step, secretary_a, staff, approver, community_a):
    notice = draft(author=secretary_a, community=community_a, item=party_item())
    actor = approver if step == "approve" else staff
    with pytest.raises(ValidationError):
        getattr(services, f"notice_{step}")(actor=actor, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT and not notice.steps.exists()


def test_publish_before_approval_is_refused(secretary_a, staff, community_a):
    notice = draft(author=secretary_a, community=community_a, item=party_item())
    services.notice_submit(actor=secretary_a, notice=notice)
    services.notice_clear(actor=staff, notice=notice)
    with pytest.raises(ValidationError):
        services.notice_publish(actor=staff, notice=notice)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.CLEARED


def test_a_secretary_cannot_review_or_approve(secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a, item=party_item())
    services.notice_submit(actor=secretary_a, notice=notice)
    with pytest.raises(PermissionDenied):
        services.notice_clear(actor=secretary_a, notice=notice)


def test_a_secretary_drafts_only_for_their_own_board(secretary_a, secretary_b, community_a, community_b):
    with pytest.raises(Http404):
        draft(author=secretary_b, community=community_a)
    notice = draft(author=secretary_a, community=community_a)
    with pytest.raises(Http404):
        services.notice_submit(actor=secretary_b, notice=notice)


def test_return_sends_back_to_draft_with_a_reason(secretary_a, staff, community_a):
    notice = draft(author=secretary_a, community=community_a, item=party_item())
    services.notice_submit(actor=secretary_a, notice=notice)
    with pytest.raises(ValidationError):
        services.notice_return(actor=staff, notice=notice, comment="  ")
    services.notice_return(actor=staff, notice=notice, comment="请删去户主电话")
    assert notice.status == NoticeStatus.DRAFT
    assert notice.steps.last().comment == "请删去户主电话"


def test_published_notice_is_immutable(secretary_a, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    notice.title = "改过的标题"
    with pytest.raises(ValidationError):
        services.notice_save(actor=staff, notice=notice)
    assert Notice.objects.get(pk=notice.pk).title == "2005年3月财务收支情况"


def test_correction_is_a_new_revision_with_a_reason(secretary_a, staff, approver, community_a):
    notice = published(
        author=secretary_a, reviewer=staff, approver=approver, community=community_a, body="<p>低保对象 3 户。</p>"
    )
    with pytest.raises(ValidationError):
        services.notice_correct(actor=staff, notice=notice, title=notice.title, body="<p>4 户</p>", reason="")
    services.notice_correct(
        actor=staff, notice=notice, title=notice.title, body="<p>低保对象 4 户。</p>", reason="户数统计有误"
    )
    notice.refresh_from_db()
    assert notice.revision == 2 and notice.is_corrected and "4 户" in notice.body
    revisions = list(NoticeRevision.objects.filter(notice=notice).order_by("number"))
    assert [(r.number, r.reason) for r in revisions] == [(1, ""), (2, "户数统计有误")]
    assert "3 户" in revisions[0].body  # the published text is kept
    assert notice.steps.last().action == StepAction.CORRECT


def test_a_draft_cannot_be_corrected_or_withdrawn(secretary_a, staff, community_a):
    notice = draft(author=secretary_a, community=community_a)
    with pytest.raises(ValidationError):
        services.notice_correct(actor=staff, notice=notice, title="x", body="<p>x</p>", reason="x")
    with pytest.raises(ValidationError):
        services.notice_withdraw(actor=staff, notice=notice, reason="x")


def test_withdrawal_needs_a_reason_and_leaves_a_record(secretary_a, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    with pytest.raises(ValidationError):
        services.notice_withdraw(actor=staff, notice=notice, reason="")
    services.notice_withdraw(actor=staff, notice=notice, reason="内容重复发布")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdraw_reason == "内容重复发布"
    assert notice.steps.last().action == StepAction.WITHDRAW and notice.steps.last().actor == staff


def test_period_snaps_to_the_catalogue_frequency(secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a, period_start=date(2005, 8, 17))
    assert (notice.period_start, notice.period_end) == (date(2005, 7, 1), date(2005, 9, 30))  # quarterly


def test_an_open_meeting_becomes_a_party_affairs_notice(staff, approver):
    from disclosure.choices import Category, MeetingKind
    from disclosure.models import OpenMeeting
    from tests.disclosure.factories import CatalogItemFactory

    CatalogItemFactory(
        category=Category.PARTY, name="开放党工委会议", frequency="event", deadline_workdays=5, level="subdistrict"
    )
    meeting = OpenMeeting.objects.create(
        kind=MeetingKind.WORKING_COMMITTEE,
        board=services.subdistrict_board(),
        date=date(2005, 9, 13),
        topic="平安社区创建",
        agenda="研究治安综合治理",
        party_member_reps=6,
        resident_reps=9,
        opinions="群众代表建议增加巡逻",
        decisions="成立平安社区创建领导小组",
    )
    notice = services.meeting_draft_notice(actor=staff, meeting=meeting)
    assert notice.category == Category.PARTY and notice.board.slug == "jiedao" and notice.event_date == meeting.date
    assert "平安社区创建" in notice.title and "增加巡逻" in notice.body and "领导小组" in notice.body
    with pytest.raises(ValidationError):
        services.meeting_draft_notice(actor=staff, meeting=meeting)  # once
    services.notice_submit(actor=staff, notice=notice)
    services.notice_clear(actor=staff, notice=notice)
    services.notice_approve(actor=approver, notice=notice)
    services.notice_publish(actor=staff, notice=notice)
    assert notice.status == NoticeStatus.PUBLISHED
