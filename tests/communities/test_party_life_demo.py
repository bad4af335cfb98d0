"""On the demo year 2005: the report's membership chapter and the monthly updates' meeting figures
agree with the 三会一课 register, and the 党费 figures with the ledger."""

import io
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.template.loader import render_to_string

from communities import demo as communities_demo
from communities.models import DuesLapseReview, DuesPayment, MeetingAttendance, MonthlyUpdate, PartyMeeting
from communities.models.meetings import MeetingKind
from communities.selectors.meetings import UPDATE_FIELD_OF_KIND, meeting_roll
from communities.selectors.report import membership_report_section
from jiedao import demo as jiedao_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_2005():
    out = io.StringIO()
    communities_demo.load(stdout=out, password="pw-for-tests-1")
    jiedao_demo.load(stdout=out, password="pw-for-tests-1")


def test_monthly_updates_carry_the_registers_figures(demo_2005):
    register = Counter()
    for community_id, kind, held_on in PartyMeeting.objects.values_list(
        "organisation__community_id", "kind", "held_on"
    ):
        register[(community_id, held_on.month, UPDATE_FIELD_OF_KIND[kind])] += 1
    updates = list(MonthlyUpdate.objects.filter(period__year=2005))
    assert len(updates) > 200
    for update in updates:
        for name in UPDATE_FIELD_OF_KIND.values():
            assert getattr(update, name) == register[(update.community_id, update.period.month, name)], (
                update,
                name,
            )
    # the demo's misses are in the register and therefore in the updates
    honghe_q1 = [u for u in updates if u.community.name == "洪河社区" and u.period.month <= 3]
    assert honghe_q1 and all(u.general_meetings == 0 for u in honghe_q1)


def test_the_membership_chapter_agrees_with_the_register_and_the_ledger(demo_2005):
    section = membership_report_section(year=2005, today=date(2006, 1, 10))
    by_branch = Counter()
    for org_id, parent_id, kind in PartyMeeting.objects.values_list(
        "organisation_id", "organisation__parent_id", "kind"
    ):
        branch = parent_id if kind == MeetingKind.GROUP else org_id
        by_branch[(branch, kind)] += 1
    assert len(section.cadences) == 20
    for cadence in section.cadences:
        for kind in MeetingKind.values:
            assert cadence.held.get(kind, 0) == by_branch[(cadence.branch.pk, kind)]
    honghe = next(c for c in section.cadences if c.branch.community.name == "洪河社区")
    assert any("第一季度" in miss and "党员大会" in miss for miss in honghe.misses)
    assert section.meetings_met < section.meetings_required  # the demo's misses are counted
    assert section.theme_met == section.theme_required - 1  # 金龙 skipped June's 主题党日
    paid = DuesPayment.objects.filter(paid_on__year=2005).aggregate(total=Sum("amount"))["total"]
    assert section.dues_collected == paid > Decimal(0)
    assert section.figures.members == 409 and section.figures.newly_developed == 24
    html = render_to_string("jiedao/report/_membership.html", {"section": section})
    assert str(section.dues_collected) in html and "洪河" in html


def test_demo_attendance_and_arrears_are_consistent(demo_2005):
    meeting = PartyMeeting.objects.filter(kind=MeetingKind.GENERAL).first()
    roll = meeting_roll(meeting)
    assert roll.expected > 10 and roll.unrecorded == 0
    assert not MeetingAttendance.objects.filter(present=False, absence_reason="").exists()
    assert DuesLapseReview.objects.count() == 2  # the two members who stopped paying after June
