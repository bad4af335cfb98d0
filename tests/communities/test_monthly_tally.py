"""The monthly updates counted per month and status (MonthlyTally, issue 16), which the dashboard's
报送率 reads: kept through every step of the workflow and a deletion, recounted after a bulk load,
and right when two communities write one month at the same moment."""

from datetime import date
from decimal import Decimal

import pytest

from communities.choices import MonthlyStatus
from communities.models import Community, MonthlyTally, MonthlyUpdate
from communities.selectors import monthly_dashboard_figures
from communities.selectors.overview import monthly_overview_page
from communities.services import (
    monthly_tally_rebuild,
    monthly_update_accept,
    monthly_update_return,
    monthly_update_submit,
)
from communities.services.tallies import tallied
from tests.communities.monthly_helpers import at, make_update
from tests.racing import second_while_first_uncommitted, two_connections

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2005, 3, 1), date(2005, 4, 1)
LATER = date(2026, 1, 1)  # every month of 2005 due


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def kept() -> dict:
    return {t.period: {s: t.count(s) for s in MonthlyStatus.values if t.count(s)} for t in MonthlyTally.objects.all()}


def recounted() -> dict:
    return dict(tallied(MonthlyUpdate.objects.all()))


def submit(update, secretary):
    return monthly_update_submit(actor=secretary, update=update, version=update.version, now=at(date(2005, 4, 3)))


def test_the_counts_follow_each_step_of_the_workflow_and_a_deletion(
    community_a, community_b, secretary_a, secretary_b, staff
):
    a = make_update(secretary_a, community_a, MARCH)
    assert kept() == recounted() == {MARCH: {"draft": 1}}
    a = submit(a, secretary_a)
    b = make_update(secretary_b, community_b, MARCH)
    assert kept() == recounted() == {MARCH: {"draft": 1, "submitted": 1}}
    a = monthly_update_return(actor=staff, update=a, version=a.version, comment="请补充")
    assert kept() == recounted() == {MARCH: {"draft": 1, "returned": 1}}
    a = monthly_update_accept(actor=staff, update=submit(a, secretary_a), version=a.version + 1)
    make_update(secretary_a, community_a, APRIL)
    assert kept() == recounted() == {MARCH: {"draft": 1, "accepted": 1}, APRIL: {"draft": 1}}
    # 24 community-months due, one handed in; 22 never filed and B's March draft overdue
    figures = monthly_dashboard_figures(year=2005, today=LATER)
    assert figures == {"monthly_submission_rate": Decimal("0.0417"), "monthly_overdue": 23}

    b.delete()
    assert kept() == recounted() == {MARCH: {"accepted": 1}, APRIL: {"draft": 1}}
    assert monthly_dashboard_figures(year=2005, today=LATER)["monthly_overdue"] == 23


def test_a_bulk_load_is_counted_by_a_rebuild(community_a, community_b, secretary_a):
    make_update(secretary_a, community_a, MARCH)
    MonthlyUpdate.objects.bulk_create(  # sends no signal, as seed_scale's load
        MonthlyUpdate(community=c, period=APRIL, status=MonthlyStatus.SUBMITTED, created_by=secretary_a,
                      updated_by=secretary_a, submitted_at=at(APRIL), submitted_by=secretary_a,
                      first_submitted_at=at(APRIL)) for c in (community_a, community_b)
    )  # fmt: skip
    assert kept() == {MARCH: {"draft": 1}}
    assert monthly_tally_rebuild(year=2005) == 2
    assert kept() == recounted() == {MARCH: {"draft": 1}, APRIL: {"submitted": 2}}
    MonthlyTally.objects.all().delete()
    monthly_tally_rebuild()
    assert kept() == recounted()


@two_connections
def test_two_communities_starting_a_new_month_at_once_are_both_counted(
    community_a, community_b, secretary_a, secretary_b
):
    failures = second_while_first_uncommitted(
        lambda: make_update(secretary_a, community_a, MARCH), lambda: make_update(secretary_b, community_b, MARCH)
    )
    assert not failures
    assert kept() == recounted() == {MARCH: {"draft": 2}}


@two_connections
def test_two_communities_submitting_one_month_at_once_are_both_counted(
    community_a, community_b, secretary_a, secretary_b
):
    a, b = make_update(secretary_a, community_a, MARCH), make_update(secretary_b, community_b, MARCH)
    failures = second_while_first_uncommitted(lambda: submit(a, secretary_a), lambda: submit(b, secretary_b))
    assert not failures
    assert kept() == recounted() == {MARCH: {"submitted": 2}}


def test_the_overviews_summary_of_the_whole_city_reads_the_tally_as_a_part_counts_it(
    community_a, community_b, secretary_a, secretary_b, staff
):
    """The staff overview's 逾期 summary: the whole city from MonthlyTally, a selection from the
    updates themselves; a selection of every community gives the same figures."""
    submit(make_update(secretary_a, community_a, MARCH), secretary_a)
    make_update(secretary_b, community_b, MARCH)
    make_update(secretary_a, community_a, APRIL)

    def summary(communities):
        page = monthly_overview_page(user=staff, year=2005, communities=communities, today=LATER)
        return page.overdue_total, page.overdue_by_month

    whole = summary(Community.objects.all())
    assert whole == summary(Community.objects.filter(pk__in=[community_a.pk, community_b.pk]))
    assert whole[0] == 23 and whole[1][2] == (MARCH, 1)  # B's March draft is overdue, A's handed in
