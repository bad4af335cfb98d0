"""我的待办 gathers the new kinds of work too (issue 13 finding 1, with issues 14 and 15): residents'
诉求 to answer, 督办 to answer, 党费 lapse reviews to decide; each for the right person only."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from communities.models import DuesLapseReview
from disclosure import services
from disclosure.models import Instruction
from jiedao.todo.providers import todo_for
from tests.communities.party_life import branch_of, member_of_branch
from tests.disclosure.case_helpers import recorded

pytestmark = pytest.mark.django_db


def kinds(user) -> list[tuple[str, str | None, bool]]:
    return [(item.kind_label, item.community_name, item.overdue) for item in todo_for(user)]


def test_a_request_waits_for_staff_and_its_communitys_secretary_until_answered(
    staff, secretary_a, secretary_b, community_a
):
    case = recorded(staff, community_a, received_on=date(2005, 3, 7)).case
    assert ("待答复诉求", "秀水社区", True) in kinds(staff)  # its deadline passed long ago
    assert ("待答复诉求", "秀水社区", True) in kinds(secretary_a)
    assert not any(kind == "待答复诉求" for kind, _c, _o in kinds(secretary_b))
    services.case_reply(actor=secretary_a, case=case, reply="已安排维修。")
    assert not any(kind == "待答复诉求" for kind, _c, _o in kinds(staff))


def test_a_supervision_instruction_waits_for_the_community_until_it_answers(
    staff, secretary_a, secretary_b, community_a
):
    instruction = services.instruction_issue(
        actor=staff,
        instruction=Instruction(
            community=community_a, text="请补充公开三月财务收支明细。", due_on=timezone.localdate() + timedelta(days=5)
        ),
    )
    assert ("待答复督办", "秀水社区", False) in kinds(secretary_a)
    assert not any(kind == "待答复督办" for kind, _c, _o in kinds(secretary_b) + kinds(staff))
    services.instruction_answer(actor=secretary_a, instruction=instruction, answer="已补充公开。")
    assert not any(kind == "待答复督办" for kind, _c, _o in kinds(secretary_a))


def test_a_lapse_review_waits_for_the_communitys_secretary(secretary_a, secretary_b, community_a):
    member = member_of_branch(branch_of(community_a))
    DuesLapseReview.objects.create(member=member, flagged_on=date(2005, 12, 1), months_unpaid=6)
    assert ("自行脱党审查（欠交党费六个月）", "秀水社区", False) in kinds(secretary_a)
    assert not any("自行脱党" in kind for kind, _c, _o in kinds(secretary_b))
