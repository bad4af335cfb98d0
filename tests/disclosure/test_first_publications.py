"""The first publications per day that the sub-district's 公开及时率 counts (FirstPublicationDay,
issue 16): kept as notices are published, corrected, withdrawn and deleted, recounted after a bulk
load, right when two communities publish one period at the same moment, and the dashboard's
total counted from them equals the cells counted one by one."""

import random
from datetime import date

import pytest

from disclosure import demo, selectors, services
from disclosure.models import FirstPublicationDay, Notice
from disclosure.services.first_publications import counted
from tests.disclosure.factories import at, draft, published, secretary_of, supervisor_of
from tests.disclosure.test_timeliness import _counts, mixed_year, monthly_item  # noqa: F401 - fixtures
from tests.racing import second_while_first_uncommitted, two_connections

pytestmark = pytest.mark.django_db

AS_OF = date(2006, 3, 1)


def kept() -> list[tuple]:
    return sorted(FirstPublicationDay.objects.values_list("catalog_item_id", "period_start", "level", "day", "boards"))


def recounted() -> list[tuple]:
    fields = ("catalog_item_id", "period_start", "level", "day", "boards")
    return sorted(tuple(row[f] for f in fields) for row in counted(Notice.objects.all()))


def total_of_2005():
    return _counts(selectors.timeliness_totals(years=[2005], as_of=AS_OF)[2005][0])


def total_by_cells():
    expected = selectors.Rate()
    for cell in selectors.timeliness_cells(year=2005, as_of=AS_OF):
        expected.add(cell)
    return _counts(expected)


def test_the_counts_follow_each_publication_withdrawal_and_deletion(
    mixed_year,  # noqa: F811
    secretary_a,
    staff,
    approver,
    community_a,
):
    chain = {"author": secretary_a, "reviewer": staff, "approver": approver}
    monthly = Notice.objects.get(board__community=community_a, period_start=date(2005, 8, 1))
    assert kept() == recounted() and kept()
    assert total_of_2005() == total_by_cells() == (34, 4, 1, 29)  # A's August (15 Sept) is late

    # A second August notice, published before the deadline: A's first August is now on time
    earlier = published(
        **chain,
        community=community_a,
        item=monthly.catalog_item,
        period_start=date(2005, 8, 1),
        at_=at(date(2005, 9, 9)),
    )
    assert kept() == recounted()
    assert total_of_2005() == total_by_cells() == (34, 5, 0, 29)

    # a correction changes the text, not when the period was first published
    services.notice_correct(actor=staff, notice=earlier, title="八月居务月报", body="<p>更正。</p>", reason="错字")
    assert kept() == recounted() and total_of_2005() == (34, 5, 0, 29)

    # withdrawn, the earlier notice no longer counts: August is late again
    services.notice_withdraw(actor=staff, notice=earlier, reason="重复发布")
    assert kept() == recounted()
    assert total_of_2005() == total_by_cells() == (34, 4, 1, 29)

    # deleted (by an administrator), A's late August is gone: missing
    monthly.delete()
    assert kept() == recounted()
    assert total_of_2005() == total_by_cells() == (34, 4, 0, 30)


def test_a_bulk_loaded_year_is_counted_and_a_rebuild_restores_lost_counts(community_a, community_b, staff, approver):
    """The demo's bulk_create sends no signal: its year is recounted as it is written."""
    written = demo.bulk_year(year=2005, rng=random.Random(5), staff=staff, approver=approver)
    assert written and kept() == recounted()
    assert total_of_2005() == total_by_cells()

    FirstPublicationDay.objects.filter(period_start__month__gt=6).delete()  # as if lost
    assert kept() != recounted()
    assert services.first_publications_rebuild(year=2005) == len(recounted())
    assert kept() == recounted()


@two_connections
def test_two_communities_publishing_one_period_at_once_are_both_counted(
    monthly_item,  # noqa: F811
    secretary_a,
    secretary_b,
    staff,
    community_a,
    community_b,
):
    """Each publication recounts the period: B's, while A's is not yet committed, waits for A's
    (the notice's chain locks the catalogue item), then counts both."""
    notices = []
    for community, secretary in ((community_a, secretary_a), (community_b, secretary_b)):
        notice = draft(author=secretary, community=community, item=monthly_item, period_start=date(2005, 8, 1))
        services.notice_submit(actor=secretary, notice=notice)
        services.notice_committee_check(actor=supervisor_of(community), notice=notice)
        notices.append((notice, secretary_of(community)))
    (first, first_secretary), (second, second_secretary) = notices
    failures = second_while_first_uncommitted(
        lambda: services.notice_publish(actor=first_secretary, notice=first, at=at(date(2005, 9, 9))),
        lambda: services.notice_publish(actor=second_secretary, notice=second, at=at(date(2005, 9, 9))),
    )
    assert not failures
    assert kept() == recounted() == [(monthly_item.pk, date(2005, 8, 1), "community", date(2005, 9, 9), 2)]


@two_connections
def test_two_published_notices_of_one_period_deleted_at_once_leave_no_count(
    monthly_item,  # noqa: F811
    secretary_a,
    secretary_b,
    staff,
    approver,
    community_a,
    community_b,
):
    """A write outside the notice chain (an administrator deleting) takes the item's lock itself:
    without it, B's recount would not see A's deletion, and A's recount (B's notice, one board)
    would stay."""
    notices = [
        published(
            author=secretary,
            reviewer=staff,
            approver=approver,
            community=community,
            item=monthly_item,
            period_start=date(2005, 8, 1),
            at_=at(date(2005, 9, 9)),
        )
        for community, secretary in ((community_a, secretary_a), (community_b, secretary_b))
    ]
    assert [row[-1] for row in kept()] == [2]
    assert not second_while_first_uncommitted(notices[0].delete, notices[1].delete)
    assert kept() == recounted() == []
