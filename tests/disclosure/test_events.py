"""The ledger of disclosable events: an event-driven catalogue item (a 议事会 decision, a
collective-asset contract, a subsidy list) is due within its working days of the event; an event
not disclosed by then counts as 未公开 in 公开及时率, one disclosed in time as on time."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from disclosure import selectors, services
from disclosure.choices import Category, Frequency, Level, Timeliness
from disclosure.models import CatalogItem, DisclosureEvent, EventKind
from tests.disclosure.factories import CatalogItemFactory, at, through_chain

pytestmark = pytest.mark.django_db

AS_OF = date(2006, 3, 1)


@pytest.fixture
def council_item():
    """The only active item: a 民主议事会 decision, due within 5 working days."""
    item = CatalogItemFactory(
        category=Category.RESIDENTS, name="民主议事会决议", frequency=Frequency.EVENT, deadline_workdays=5
    )
    CatalogItem.objects.exclude(pk=item.pk).update(active=False)
    return item


def record(actor, community, item, title, day=date(2005, 9, 28)):
    return services.event_record(
        actor=actor,
        event=DisclosureEvent(
            community=community, catalog_item=item, kind=EventKind.COUNCIL_DECISION, title=title, occurred_on=day
        ),
    )


def rate_of(community):
    table = selectors.timeliness_table(year=2005, as_of=AS_OF)
    return next(row["total"] for row in table.rows if row["board"].community_id == community.pk)


def test_the_due_date_follows_the_catalogue_rule_over_national_day(council_item, secretary_a, community_a):
    event = record(secretary_a, community_a, council_item, "通过道路硬化方案")
    # Wed 28 Sep 2005 + 5 working days: 29, 30 Sep, then 8, 9 (调休), 10 Oct
    assert event.due_on == date(2005, 10, 10)


def test_an_undisclosed_event_counts_as_missing_and_lowers_the_rate(
    council_item, secretary_a, staff, approver, community_a
):
    disclosed = record(secretary_a, community_a, council_item, "通过道路硬化方案")
    notice = services.event_draft_notice(actor=secretary_a, event=disclosed)
    through_chain(notice, author=secretary_a, reviewer=staff, approver=approver, at_=at(date(2005, 10, 9)))
    before = rate_of(community_a)
    assert (before.expected, before.on_time, before.missing, before.rate) == (1, 1, 0, 1)

    record(secretary_a, community_a, council_item, "通过集体资产租赁方案", day=date(2005, 11, 7))
    after = rate_of(community_a)
    assert (after.expected, after.on_time, after.missing) == (2, 1, 1)
    assert after.rate == pytest.approx(0.5)
    cells = [c for c in selectors.timeliness_cells(year=2005, as_of=AS_OF) if c.board.community_id == community_a.pk]
    assert sorted(c.status for c in cells) == sorted([Timeliness.ON_TIME, Timeliness.MISSING])


def test_a_late_disclosure_counts_late_and_a_recent_event_is_not_yet_due(
    council_item, secretary_a, staff, approver, community_a
):
    late = record(secretary_a, community_a, council_item, "补选居民小组长")
    notice = services.event_draft_notice(actor=secretary_a, event=late)
    through_chain(notice, author=secretary_a, reviewer=staff, approver=approver, at_=at(date(2005, 10, 20)))
    record(secretary_a, community_a, council_item, "年末议事", day=date(2005, 12, 30))
    cells = selectors.timeliness_cells(year=2005, as_of=date(2006, 1, 4))
    assert sorted(c.status for c in cells) == sorted([Timeliness.LATE, Timeliness.DUE])


def test_a_linked_notice_is_counted_once(council_item, secretary_a, staff, approver, community_a):
    """The event's notice is not counted a second time as an unlinked event notice."""
    event = record(secretary_a, community_a, council_item, "通过道路硬化方案")
    notice = services.event_draft_notice(actor=secretary_a, event=event)
    through_chain(notice, author=secretary_a, reviewer=staff, approver=approver, at_=at(date(2005, 10, 9)))
    assert len(selectors.timeliness_cells(year=2005, as_of=AS_OF)) == 1


def test_bad_events_are_refused_with_nothing_kept(council_item, secretary_a, secretary_b, community_a):
    monthly = CatalogItemFactory(name="财务收支情况", frequency=Frequency.MONTHLY)
    with pytest.raises(ValidationError):
        record(secretary_a, community_a, monthly, "不是事件类")
    subdistrict = CatalogItemFactory(
        category=Category.GOVERNMENT, name="街道领导班子成员及分工", frequency=Frequency.EVENT, level=Level.SUBDISTRICT
    )
    with pytest.raises(ValidationError):
        record(secretary_a, community_a, subdistrict, "街道级事项")
    with pytest.raises(ValidationError):
        record(secretary_a, community_a, council_item, "未来的事件", day=date(2099, 1, 1))
    with pytest.raises(Http404):
        record(secretary_b, community_a, council_item, "别的社区")
    assert not DisclosureEvent.objects.exists()


def test_the_event_page_lists_events_of_the_own_community(
    client, council_item, secretary_a, secretary_b, community_a, community_b
):
    record(secretary_a, community_a, council_item, "甲社区议事会决议")
    record(secretary_b, community_b, council_item, "乙社区议事会决议")
    client.force_login(secretary_a)
    page = client.get("/disclosure/events/").content.decode()
    assert "甲社区议事会决议" in page and "乙社区议事会决议" not in page
