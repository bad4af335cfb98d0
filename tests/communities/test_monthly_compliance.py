"""三会一课 compliance on hand-made cases: 支委会, 党小组会 and 主题党日 every month; 党员大会 and
党课 every quarter; computed from accepted updates only."""

from datetime import date

import pytest

from communities.periods import deadline_of, due_months
from communities.selectors import compute_compliance, monthly_community_summary, monthly_grid
from communities.services import monthly_update_accept, monthly_update_submit
from tests.communities.monthly_helpers import at, make_update

ALL_MET = {
    "branch_committee_meetings": 1,
    "group_meetings": 1,
    "theme_days": 1,
    "general_meetings": 1,
    "party_lectures": 1,
}
QUARTERLY_NONE = {**ALL_MET, "general_meetings": 0, "party_lectures": 0}


def year_of(**months):
    """Twelve months meeting the monthly rules, without 党员大会 or 党课; `m3={...}` overrides March."""
    figures = {m: dict(QUARTERLY_NONE) for m in range(1, 13)}
    for key, values in months.items():
        figures[int(key[1:])].update(values)
    return figures


def test_a_full_year_meets_all_32_requirements_and_12_theme_days_apart():
    result = compute_compliance(year=2005, accepted={m: dict(ALL_MET) for m in range(1, 13)}, due=range(1, 13))
    # 三会一课: 12 × (支委会, 党小组会) + 4 × (党员大会, 党课); 主题党日 is not one of them
    assert (result.required, result.met, result.misses) == (32, 32, [])
    assert (result.theme_required, result.theme_met) == (12, 12)
    assert result.rate == 1


def test_each_monthly_miss_is_named():
    accepted = {m: dict(ALL_MET) for m in range(1, 13)}
    accepted[3]["branch_committee_meetings"] = 0
    accepted[7]["group_meetings"] = 0
    accepted[11]["theme_days"] = 0
    result = compute_compliance(year=2005, accepted=accepted, due=range(1, 13))
    assert result.misses == ["2005年3月未召开支委会", "2005年7月未召开党小组会", "2005年11月未开展主题党日"]
    assert (result.required, result.met) == (32, 30)
    assert (result.theme_required, result.theme_met) == (12, 11)


def test_a_quarterly_meeting_in_any_month_of_the_quarter_counts():
    # 党员大会 in February only → Q1 met; none April–December → Q2, Q3, Q4 missed
    accepted = year_of(m2={"general_meetings": 1}, m4={"party_lectures": 1}, m9={"party_lectures": 1})
    accepted[12]["party_lectures"] = 1
    result = compute_compliance(year=2005, accepted=accepted, due=range(1, 13))
    assert result.misses == [
        "2005年第一季度未上党课",
        "2005年第二季度未召开党员大会",
        "2005年第三季度未召开党员大会",
        "2005年第四季度未召开党员大会",
    ]


def test_quarter_boundaries():
    # a 党课 in March counts for Q1 only and one in April for Q2 only; July–December have none
    accepted = year_of(m3={"party_lectures": 1, "general_meetings": 1}, m4={"party_lectures": 1})
    accepted[6]["general_meetings"] = 1  # the last month of Q2
    accepted[7]["general_meetings"] = 1  # the first month of Q3
    accepted[10]["general_meetings"] = 1
    result = compute_compliance(year=2005, accepted=accepted, due=range(1, 13))
    assert result.misses == ["2005年第三季度未上党课", "2005年第四季度未上党课"]


def test_a_month_without_an_accepted_update_misses_everything_of_that_month():
    accepted = {m: dict(ALL_MET) for m in range(1, 13) if m != 5}
    result = compute_compliance(year=2005, accepted=accepted, due=range(1, 13))
    assert result.misses == ["2005年5月未召开支委会", "2005年5月未召开党小组会", "2005年5月未开展主题党日"]


def test_only_due_months_and_complete_quarters_count():
    # on 2005-05-10 January to April are due: Q1 is judged, Q2 is not yet
    due = due_months(2005, date(2005, 5, 10))
    assert due == [1, 2, 3, 4]
    result = compute_compliance(year=2005, accepted={}, due=due)
    assert result.required == 4 * 2 + 2 and result.theme_required == 4
    assert result.misses[9:11] == ["2005年第一季度未召开党员大会", "2005年第一季度未上党课"]
    assert result.misses[-1] == "2005年4月未开展主题党日"
    assert not any("第二季度" in miss for miss in result.misses)
    # the deadline is the 5th of the following month: April becomes due on May 6th
    assert deadline_of(date(2005, 4, 1)) == date(2005, 5, 5)
    assert due_months(2005, date(2005, 5, 5)) == [1, 2, 3]
    assert deadline_of(date(2005, 12, 1)) == date(2006, 1, 5)


@pytest.mark.django_db
def test_compliance_counts_accepted_updates_only(secretary_a, staff, community_a):
    """A submitted update still awaiting review is no evidence yet: its meetings do not count."""
    for month in (1, 2, 3):
        update = make_update(secretary_a, community_a, date(2005, month, 1))
        update = monthly_update_submit(actor=secretary_a, update=update, version=1, now=at(date(2005, month + 1, 2)))
        if month != 2:
            monthly_update_accept(actor=staff, update=update, version=update.version)
    rows = monthly_grid(user=staff, year=2005, today=date(2005, 4, 30))
    misses = rows[0].compliance.misses
    assert misses == ["2005年2月未召开支委会", "2005年2月未召开党小组会", "2005年2月未开展主题党日"]
    _updates, rollups = monthly_community_summary(community=community_a, today=date(2005, 4, 30))
    assert rollups[0].compliance.misses == misses
    assert (rollups[0].filed, rollups[0].accepted) == (3, 2)
    assert rollups[0].totals["participant_count"] == 90  # two accepted months of 45
