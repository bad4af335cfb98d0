"""The permission matrix of the 居务 chain and the 街道's monitoring (disclosure:supervision_*,
notice_committee_*, committee_*, monitoring, sample_check_create, instruction_*): every URL as every
persona. A supervisor of community A checks A's 居务/财务 notices and nothing else; staff cannot give
the check in the committee's place (403); another community's notice or instruction is 404.
test_views.py's coverage test reads the URL names requested here."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.choices import NoticeStatus, StepAction
from disclosure.models import Instruction, SupervisionCommittee
from tests.disclosure.factories import draft, published
from tests.matrix import LOGIN, PERSONAS, STAFF_ONLY, check_matrix, status_for

pytestmark = pytest.mark.django_db

SUPERVISOR_ONLY = {**STAFF_ONLY, "staff": 403, "supervisor_a": 200}
DRAFTERS = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200}
OWN_BOARD = {**DRAFTERS, "secretary_b": 404}
READERS_AND_SECRETARIES = {**DRAFTERS, "inspector": 200, "auditor": 200}
# POSTing the committee's check: only A's supervisor; staff and A's secretary see the notice but may
# not check it (403); B's secretary cannot see it (404)
CHECKERS = {
    "anonymous": LOGIN,
    "resident": 403,
    "secretary_a": 403,
    "secretary_b": 404,
    "staff": 403,
    "inspector": 403,
    "auditor": 403,
    "supervisor_a": 302,
}


def checking(secretary_a, community_a, title="2005年一季度低保对象"):
    notice = draft(author=secretary_a, community=community_a, title=title)
    services.notice_submit(actor=secretary_a, notice=notice)
    return notice


def test_supervisor_pages(personas, secretary_a, secretary_b, community_a, community_b):
    notice = checking(secretary_a, community_a)
    check_matrix(personas, reverse("disclosure:supervision_queue"), SUPERVISOR_ONLY)
    check_matrix(personas, reverse("disclosure:supervision_notice", args=[notice.pk]), SUPERVISOR_ONLY)
    other = checking(secretary_b, community_b, title="乙社区低保")
    check_matrix(
        personas, reverse("disclosure:supervision_notice", args=[other.pk]), {**SUPERVISOR_ONLY, "supervisor_a": 404}
    )


STEPS = {"check": "disclosure:notice_committee_check", "return": "disclosure:notice_committee_return"}


@pytest.mark.parametrize("action", list(STEPS))
def test_committee_steps(action, personas, secretary_a, community_a):
    for persona in PERSONAS:
        notice = checking(secretary_a, community_a, title=f"{action}{persona}")
        url = reverse(STEPS[action], args=[notice.pk])
        got = status_for(personas[persona], url, "post", {"comment": "请补充"})
        assert got == CHECKERS[persona], persona
        notice.refresh_from_db()
        changed = NoticeStatus.APPROVED if action == "check" else NoticeStatus.DRAFT
        assert notice.status == (changed if persona == "supervisor_a" else NoticeStatus.CHECKING), persona
    assert not notice.steps.filter(action=StepAction.CHECK, actor__username="staff1").exists()


def test_committee_pages(personas, secretary_a, community_a):
    committee = services.committee_save(
        actor=secretary_a,
        committee=SupervisionCommittee(
            community=community_a, term_start=date(2024, 1, 1), term_end=date(2026, 12, 31), member_names="王秀兰 主任"
        ),
    )
    check_matrix(personas, reverse("disclosure:committee_list"), READERS_AND_SECRETARIES)
    check_matrix(personas, reverse("disclosure:committee_create"), DRAFTERS)
    check_matrix(personas, reverse("disclosure:committee_update", args=[committee.pk]), OWN_BOARD)


def test_monitoring_pages(personas, secretary_a, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    check_matrix(personas, reverse("disclosure:monitoring"), STAFF_ONLY)
    check_matrix(personas, reverse("disclosure:sample_check_create", args=[notice.pk]), STAFF_ONLY)
    check_matrix(personas, reverse("disclosure:instruction_list"), READERS_AND_SECRETARIES)
    check_matrix(personas, reverse("disclosure:instruction_create"), STAFF_ONLY)
    instruction = services.instruction_issue(
        actor=staff,
        instruction=Instruction(community=community_a, text="补公开", due_on=timezone.localdate() + timedelta(days=3)),
    )
    # the community answers; staff issued it and read it but do not answer it (403)
    check_matrix(
        personas,
        reverse("disclosure:instruction_answer", args=[instruction.pk]),
        {**STAFF_ONLY, "staff": 403, "secretary_a": 200, "secretary_b": 404},
    )
