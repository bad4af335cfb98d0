"""居务公开 as the 城市居民委员会组织法 has it: a community's 居务 and 财务 notices are drafted by the
居委会, checked by its 居务监督委员会 (not skippable, not by staff in its place), published by the
community; the 街道 monitors (抽查, 督办); the community answers its own residents' questions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.choices import Category, FeedbackStatus, Level, NoticeStatus, StepAction
from disclosure.models import Instruction, Notice, SampleCheck, SampleResult, SupervisionCommittee
from disclosure.selectors.todo import todo_items
from jiedao.models import Notification
from jiedao.permissions import Role, notice_actions
from tests.disclosure.factories import CatalogItemFactory, draft, finance_item, party_item, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_b(make_user, community_b):
    return make_user("super_b", Role.SUPERVISOR, community_b)


def submitted(secretary_a, community_a, **kwargs):
    notice = draft(author=secretary_a, community=community_a, **kwargs)
    services.notice_submit(actor=secretary_a, notice=notice)
    notice.refresh_from_db()
    return notice


# -- the chain ------------------------------------------------------------------------------------


def test_residents_notice_goes_to_the_committee_then_the_community_publishes(secretary_a, supervisor_a, community_a):
    notice = submitted(secretary_a, community_a)
    assert notice.status == NoticeStatus.CHECKING  # not to the 街道's secrecy review
    assert Notification.objects.filter(recipient=supervisor_a, url__contains=f"/supervision/notices/{notice.pk}/")
    services.notice_committee_check(actor=supervisor_a, notice=notice, comment="已核对低保名单")
    assert notice.status == NoticeStatus.APPROVED
    services.notice_publish(actor=secretary_a, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.revision == 1
    assert list(notice.steps.values_list("action", "actor__username", "comment")) == [
        (StepAction.SUBMIT, "sec_a", ""),
        (StepAction.CHECK, "super_a", "已核对低保名单"),
        (StepAction.PUBLISH, "sec_a", ""),
    ]


def test_finance_notices_follow_the_same_chain(secretary_a, supervisor_a, community_a):
    notice = draft(author=secretary_a, community=community_a, item=finance_item())
    assert notice.needs_committee_check


def test_the_committee_check_cannot_be_skipped(secretary_a, staff, community_a):
    notice = submitted(secretary_a, community_a)
    for actor in (secretary_a, staff):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.notice_publish(actor=actor, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CHECKING and not notice.steps.filter(action=StepAction.PUBLISH).exists()


def test_publishing_needs_a_check_after_the_last_submission(secretary_a, supervisor_a, community_a):
    """Even a notice forced to 'approved' (as by an old chain) is not published without the check."""
    notice = submitted(secretary_a, community_a)
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.APPROVED)
    notice.refresh_from_db()
    with pytest.raises(ValidationError):
        services.notice_publish(actor=secretary_a, notice=notice)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.APPROVED


@pytest.mark.parametrize("step", ["notice_clear", "notice_approve", "notice_return"])
def test_staff_cannot_approve_in_the_committees_place(step, secretary_a, staff, approver, community_a):
    notice = submitted(secretary_a, community_a)
    for actor in (staff, approver):
        with pytest.raises(PermissionDenied):
            getattr(services, step)(actor=actor, notice=notice, comment="街道审核")
        with pytest.raises(PermissionDenied):
            services.notice_committee_check(actor=actor, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CHECKING and notice.steps.count() == 1


def test_staff_may_not_publish_a_checked_residents_notice(secretary_a, supervisor_a, staff, community_a):
    notice = submitted(secretary_a, community_a)
    services.notice_committee_check(actor=supervisor_a, notice=notice)
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=staff, notice=notice)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.APPROVED


def test_a_supervisor_of_another_community_gets_404(secretary_a, supervisor_b, secretary_b, community_a):
    notice = submitted(secretary_a, community_a)
    with pytest.raises(Http404):
        services.notice_committee_check(actor=supervisor_b, notice=notice)
    with pytest.raises(Http404):
        services.notice_publish(actor=secretary_b, notice=notice)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.CHECKING


def test_the_own_secretary_cannot_check_their_own_notice(secretary_a, community_a):
    notice = submitted(secretary_a, community_a)
    with pytest.raises(PermissionDenied):
        services.notice_committee_check(actor=secretary_a, notice=notice)


def test_the_committee_returns_with_a_reason(secretary_a, supervisor_a, community_a):
    notice = submitted(secretary_a, community_a)
    with pytest.raises(ValidationError):
        services.notice_committee_return(actor=supervisor_a, notice=notice, comment=" ")
    services.notice_committee_return(actor=supervisor_a, notice=notice, comment="补充发放标准")
    assert notice.status == NoticeStatus.DRAFT
    assert notice.steps.last().action == StepAction.RETURN and notice.steps.last().comment == "补充发放标准"
    services.notice_submit(actor=secretary_a, notice=notice)  # resubmitted: checked again
    assert notice.status == NoticeStatus.CHECKING


def test_party_notices_keep_the_staff_chain(secretary_a, staff, approver, supervisor_a, community_a):
    notice = submitted(secretary_a, community_a, item=party_item())
    assert notice.status == NoticeStatus.SUBMITTED
    with pytest.raises(Http404):  # a supervisor has no part in 党务
        services.notice_committee_check(actor=supervisor_a, notice=notice)
    services.notice_clear(actor=staff, notice=notice)
    services.notice_approve(actor=approver, notice=notice)
    services.notice_publish(actor=staff, notice=notice)
    assert notice.status == NoticeStatus.PUBLISHED


def test_actions_offer_the_law_chain(secretary_a, secretary_b, staff, supervisor_a, community_a):
    notice = submitted(secretary_a, community_a)
    staff_actions = notice_actions(staff, notice)
    assert not (staff_actions.clear or staff_actions.approve or staff_actions.return_to_author)
    services.notice_committee_check(actor=supervisor_a, notice=notice)
    assert notice_actions(secretary_a, notice).publish
    assert not notice_actions(staff, notice).publish and not notice_actions(secretary_b, notice).publish


# -- the supervisor's pages -------------------------------------------------------------------------


def test_the_supervisor_checks_on_the_phone_page(client, secretary_a, supervisor_a, community_a):
    notice = submitted(secretary_a, community_a)
    client.force_login(supervisor_a)
    queue = client.get(reverse("disclosure:supervision_queue"))
    assert notice.title in queue.content.decode()
    page = client.get(reverse("disclosure:supervision_notice", args=[notice.pk])).content.decode()
    assert 'data-testid="check-form"' in page and 'name="viewport"' in page
    response = client.post(reverse("disclosure:notice_committee_check", args=[notice.pk]), {"comment": "无误"})
    assert response.status_code == 302
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.APPROVED


def test_staff_posting_the_check_is_refused(client, secretary_a, staff, community_a):
    notice = submitted(secretary_a, community_a)
    client.force_login(staff)
    response = client.post(reverse("disclosure:notice_committee_check", args=[notice.pk]))
    assert response.status_code == 403
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.CHECKING


def test_the_supervisor_sees_only_their_communitys_residents_and_finance_notices(
    client, secretary_a, secretary_b, supervisor_a, community_a, community_b
):
    own = submitted(secretary_a, community_a, title="本社区低保")
    party = submitted(secretary_a, community_a, item=party_item(), title="本社区党务")
    other = submitted(secretary_b, community_b, title="别的社区低保")
    client.force_login(supervisor_a)
    page = client.get(reverse("disclosure:supervision_queue")).content.decode()
    assert own.title in page and party.title not in page and other.title not in page
    assert client.get(reverse("disclosure:supervision_notice", args=[other.pk])).status_code == 404
    assert client.get(reverse("disclosure:supervision_notice", args=[party.pk])).status_code == 404


# -- committees --------------------------------------------------------------------------------------


def test_a_community_records_its_committee(secretary_a, supervisor_a, community_a, community_b, make_user):
    committee = SupervisionCommittee(
        community=community_a,
        term_start=date(2024, 1, 1),
        term_end=date(2026, 12, 31),
        member_names="王秀兰 主任\n李建国 委员\n赵明 委员",
    )
    services.committee_save(actor=secretary_a, committee=committee, accounts=[supervisor_a])
    assert committee.member_lines == ["王秀兰 主任", "李建国 委员", "赵明 委员"]
    assert list(committee.accounts.all()) == [supervisor_a]
    stranger = make_user("super_x", Role.SUPERVISOR, community_b)
    overlapping = SupervisionCommittee(
        community=community_a, term_start=date(2025, 1, 1), term_end=date(2027, 12, 31), member_names="张三"
    )
    with pytest.raises(ValidationError):
        services.committee_save(actor=secretary_a, committee=overlapping)
    committee.member_names = "王秀兰 主任"
    with pytest.raises(ValidationError) as raised:
        services.committee_save(actor=secretary_a, committee=committee, accounts=[stranger])
    assert "accounts" in raised.value.error_dict
    assert list(SupervisionCommittee.objects.get(pk=committee.pk).accounts.all()) == [supervisor_a]


def test_another_communitys_secretary_cannot_record_the_committee(secretary_b, community_a):
    committee = SupervisionCommittee(
        community=community_a, term_start=date(2024, 1, 1), term_end=date(2026, 12, 31), member_names="张三"
    )
    with pytest.raises(Http404):
        services.committee_save(actor=secretary_b, committee=committee)
    assert not SupervisionCommittee.objects.exists()


# -- the 街道 monitors -------------------------------------------------------------------------------


def test_staff_record_a_sample_check_on_a_published_notice(secretary_a, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    with pytest.raises(ValidationError):  # problems need findings
        services.sample_check_record(actor=staff, notice=notice, result=SampleResult.PROBLEMS)
    check = services.sample_check_record(
        actor=staff, notice=notice, result=SampleResult.PROBLEMS, note="未附低保审批表"
    )
    assert check.found_problems and check.checked_by == staff
    with pytest.raises(PermissionDenied):
        services.sample_check_record(actor=secretary_a, notice=notice, result=SampleResult.PASSED)
    draft_notice = draft(author=secretary_a, community=community_a)
    with pytest.raises(ValidationError):
        services.sample_check_record(actor=staff, notice=draft_notice, result=SampleResult.PASSED)
    assert SampleCheck.objects.count() == 1


def test_an_instruction_shows_on_the_communitys_side_until_answered(
    client, staff, secretary_a, secretary_b, community_a
):
    instruction = services.instruction_issue(
        actor=staff,
        instruction=Instruction(
            community=community_a,
            text="请于月底前补公开第三季度低保名单",
            due_on=timezone.localdate() + timedelta(days=5),
        ),
    )
    assert Notification.objects.filter(recipient=secretary_a, key=f"disclosure:instruction:{instruction.pk}").exists()
    client.force_login(secretary_a)
    page = client.get(reverse("disclosure:instruction_list")).content.decode()
    assert (
        "请于月底前补公开第三季度低保名单" in page
        and reverse("disclosure:instruction_answer", args=[instruction.pk]) in page
    )
    client.force_login(secretary_b)
    assert "第三季度低保名单" not in client.get(reverse("disclosure:instruction_list")).content.decode()
    with pytest.raises(Http404):
        services.instruction_answer(actor=secretary_b, instruction=instruction, answer="已办")
    with pytest.raises(PermissionDenied):
        services.instruction_answer(actor=staff, instruction=instruction, answer="已办")
    services.instruction_answer(actor=secretary_a, instruction=instruction, answer="已于10月28日补充公开")
    instruction.refresh_from_db()
    assert not instruction.is_open and instruction.answered_by == secretary_a
    with pytest.raises(ValidationError):
        services.instruction_answer(actor=secretary_a, instruction=instruction, answer="再答一次")


def test_an_instruction_needs_a_future_deadline(staff, community_a):
    with pytest.raises(ValidationError):
        services.instruction_issue(
            actor=staff,
            instruction=Instruction(community=community_a, text="x", due_on=timezone.localdate() - timedelta(days=1)),
        )
    assert not Instruction.objects.exists()


# -- the community answers its own residents ---------------------------------------------------------


def test_the_community_answers_its_own_residents_question(secretary_a, secretary_b, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    feedback = services.feedback_submit(notice=notice, body="低保标准是多少？")
    assert Notification.objects.filter(recipient=secretary_a, key=f"disclosure:feedback:{feedback.pk}").exists()
    with pytest.raises(Http404):
        services.feedback_answer(actor=secretary_b, feedback=feedback, answer="不是我们社区")
    services.feedback_moderate(actor=secretary_a, feedback=feedback, show=True)
    services.feedback_answer(actor=secretary_a, feedback=feedback, answer="每人每月 210 元。")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PUBLISHED and feedback.answered_by == secretary_a


def test_the_secretarys_question_queue_holds_their_board_only(
    client, secretary_a, secretary_b, staff, approver, community_a, community_b
):
    own = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, title="甲社区")
    other = published(author=secretary_b, reviewer=staff, approver=approver, community=community_b, title="乙社区")
    services.feedback_submit(notice=own, body="甲社区的问题")
    theirs = services.feedback_submit(notice=other, body="乙社区的问题")
    client.force_login(secretary_a)
    page = client.get(reverse("disclosure:feedback_list")).content.decode()
    assert "甲社区的问题" in page and "乙社区的问题" not in page
    assert client.get(reverse("disclosure:feedback_answer", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("disclosure:feedback_answer", args=[theirs.pk]), {"answer": "越权回答"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.answer == ""


def test_a_secretary_cannot_answer_on_the_subdistrict_board(secretary_a, staff, approver):
    item = CatalogItemFactory(category=Category.GOVERNMENT, name="财政预决算", level=Level.SUBDISTRICT)
    notice = services.notice_save(
        actor=staff,
        notice=Notice(
            board=services.subdistrict_board(),
            catalog_item=item,
            title="2005年财政预算",
            body="<p>预算如下。</p>",
            period_start=date(2005, 3, 1),
        ),
    )
    services.notice_submit(actor=staff, notice=notice)
    services.notice_clear(actor=staff, notice=notice)
    services.notice_approve(actor=approver, notice=notice)
    services.notice_publish(actor=staff, notice=notice)
    feedback = services.feedback_submit(notice=notice, body="街道的问题")
    with pytest.raises(Http404):
        services.feedback_answer(actor=secretary_a, feedback=feedback, answer="越权")
    services.feedback_answer(actor=staff, feedback=feedback, answer="街道回答")


def test_the_todo_list_follows_the_law_chain(secretary_a, secretary_b, staff, supervisor_a, community_a):
    """我的待办: the check waits for A's supervisors, the publication for A's secretary, never for staff;
    A's residents' questions wait for A's secretary too."""
    notice = submitted(secretary_a, community_a)

    def titles(user):
        return [(item.kind_label, item.title) for item in todo_items(user)]

    assert ("居务监督委员会审核", notice.title) in titles(supervisor_a)
    assert not any(t == notice.title for _k, t in titles(staff) + titles(secretary_b))
    services.notice_committee_check(actor=supervisor_a, notice=notice)
    assert ("待发布的公开", notice.title) in titles(secretary_a)
    assert not any(t == notice.title for _k, t in titles(staff) + titles(supervisor_a))
    services.notice_publish(actor=secretary_a, notice=notice)
    services.feedback_submit(notice=notice, body="低保标准是多少？")
    assert any(k == "待审核的群众留言" for k, _t in titles(secretary_a))
    assert not any(k == "待审核的群众留言" for k, _t in titles(secretary_b))
