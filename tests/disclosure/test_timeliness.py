"""Timeliness: deadlines in working days (weekends, public holidays and 调休 as data), on time /
late / missing per item × board × period, the rate, and the daily reminders."""

from datetime import date
from decimal import Decimal

import pytest

from disclosure import selectors, services
from disclosure.choices import Category, Frequency, Timeliness
from disclosure.models import CatalogItem, DisclosureEvent, EventKind
from disclosure.periods import calendar_for_year
from jiedao.models import Notification, WorkdayOverride
from tests.disclosure.factories import CatalogItemFactory, at, published, through_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly_item():
    item = CatalogItemFactory(
        category=Category.RESIDENTS, name="居务月报", frequency=Frequency.MONTHLY, deadline_workdays=10
    )
    CatalogItem.objects.exclude(pk=item.pk).update(active=False)
    return item


def test_deadline_counts_working_days_across_national_day_2005():
    """September ends on Friday 30 Sep; 1–7 Oct are holidays, Sat 8 and Sun 9 Oct are 调休 working days.
    Ten working days: 8, 9, 10, 11, 12, 13, 14, 17, 18, 19 Oct."""
    calendar = calendar_for_year(2005)
    assert calendar.add(date(2005, 9, 30), 1) == date(2005, 10, 8)
    assert calendar.add(date(2005, 9, 30), 10) == date(2005, 10, 19)
    assert calendar.add(date(2005, 4, 30), 1) == date(2005, 5, 8)  # May Day week: Sun 8 May is worked


def test_a_staff_override_moves_the_deadline():
    WorkdayOverride.objects.create(date=date(2005, 10, 19), is_workday=False, note="区级调整")
    assert calendar_for_year(2005).add(date(2005, 9, 30), 10) == date(2005, 10, 20)


def _cell(cells, board, start):
    return next(c for c in cells if c.board == board and c.period_start == start)


def test_on_time_late_and_missing_across_the_holiday(
    monthly_item, secretary_a, staff, approver, community_a, community_b
):
    common = {
        "author": secretary_a,
        "reviewer": staff,
        "approver": approver,
        "community": community_a,
        "item": monthly_item,
    }
    published(**common, period_start=date(2005, 9, 1), at_=at(date(2005, 10, 19)), title="九月")
    published(**common, period_start=date(2005, 8, 1), at_=at(date(2005, 9, 15)), title="八月")
    cells = selectors.timeliness_cells(year=2005, as_of=date(2006, 3, 1))
    board_a = community_a.disclosure_board
    sept = _cell(cells, board_a, date(2005, 9, 1))
    assert sept.deadline == date(2005, 10, 19) and sept.status == Timeliness.ON_TIME
    aug = _cell(cells, board_a, date(2005, 8, 1))
    assert aug.deadline == date(2005, 9, 14) and aug.status == Timeliness.LATE
    assert _cell(cells, board_a, date(2005, 7, 1)).status == Timeliness.MISSING
    table = selectors.timeliness_table(year=2005, as_of=date(2006, 3, 1))
    row_a = next(r for r in table.rows if r["board"] == board_a)
    assert (row_a["total"].expected, row_a["total"].on_time, row_a["total"].late) == (12, 1, 1)
    assert table.total.expected == 24  # two community boards × 12 months
    assert table.total.rate == Decimal("0.0417")  # 1 of 24 on time


def test_published_one_day_after_the_holiday_deadline_is_late(monthly_item, secretary_a, staff, approver, community_a):
    published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=monthly_item,
        period_start=date(2005, 9, 1),
        at_=at(date(2005, 10, 20)),
    )
    cells = selectors.timeliness_cells(year=2005, as_of=date(2006, 1, 1))
    assert _cell(cells, community_a.disclosure_board, date(2005, 9, 1)).status == Timeliness.LATE


def test_periods_not_yet_past_their_deadline_are_not_expected(monthly_item, community_a):
    cells = selectors.timeliness_cells(year=2005, as_of=date(2005, 10, 12))
    sept = _cell(cells, community_a.disclosure_board, date(2005, 9, 1))
    assert sept.status == Timeliness.DUE and not sept.expected
    assert all(c.period_end < date(2005, 10, 12) for c in cells)


def test_reminders_go_to_the_responsible_secretary_once(
    monthly_item, secretary_a, secretary_b, community_a, community_b
):
    today = date(2005, 10, 12)
    sent = services.timeliness_remind(today=today)
    mine = Notification.objects.filter(recipient=secretary_a)
    keys = set(mine.values_list("key", flat=True))
    board_a = community_a.disclosure_board.pk
    assert f"disclosure:due:{board_a}:{monthly_item.pk}:2005-09-01" in keys  # due by 19 Oct
    assert f"disclosure:overdue:{board_a}:{monthly_item.pk}:2005-08-01" in keys
    assert len(keys) == 9  # January–August overdue, September due
    assert "2005-10-19" in mine.get(key__startswith="disclosure:due").body
    assert not Notification.objects.filter(recipient=secretary_b, key__contains=f":{board_a}:").exists()
    assert sent == 18
    assert services.timeliness_remind(today=today) == 0  # the next run sends nothing new
    assert Notification.objects.filter(recipient=secretary_a).count() == 9


def test_the_beat_task_calls_the_service(monthly_item, secretary_a, community_a):
    from disclosure.tasks import timeliness_remind
    from jiedao.celery import app

    assert app.conf.beat_schedule["disclosure-timeliness-remind"]["task"] == timeliness_remind.name
    timeliness_remind.delay()
    assert Notification.objects.filter(recipient=secretary_a, key__startswith="disclosure:").exists()


def test_staff_are_reminded_of_overdue_questions_once(monthly_item, secretary_a, staff, approver, community_a):
    notice = published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=monthly_item,
        period_start=date(2005, 9, 1),
        at_=at(date(2005, 10, 10)),
    )
    question = services.feedback_submit(notice=notice, body="什么时候公开十月的？")
    from disclosure.models import Feedback

    Feedback.objects.filter(pk=question.pk).update(due_on=date(2005, 10, 24))
    services.timeliness_remind(today=date(2005, 10, 25))
    services.timeliness_remind(today=date(2005, 10, 26))
    reminders = Notification.objects.filter(recipient=staff, key=f"disclosure:question-overdue:{question.pk}")
    assert reminders.count() == 1 and "2005-10-24" in reminders.get().body
    services.feedback_answer(actor=staff, feedback=question, answer="十一月上旬。")
    assert services.timeliness_remind(today=date(2005, 10, 27)) == 0


def test_answer_deadline_is_counted_in_working_days_and_configurable(
    monthly_item, secretary_a, staff, approver, community_a, settings
):
    from django.utils import timezone

    from jiedao.workdays import add_workdays

    notice = published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=monthly_item,
        period_start=date(2005, 9, 1),
    )
    today = timezone.localdate()
    assert services.feedback_submit(notice=notice, body="问").due_on == add_workdays(today, 10)
    settings.DISCLOSURE_ANSWER_WORKDAYS = 3
    assert services.feedback_submit(notice=notice, body="问").due_on == add_workdays(today, 3)


def test_staff_timeliness_page_shows_the_rate_per_community_and_category(
    client, monthly_item, secretary_a, staff, approver, community_a, community_b
):
    published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=monthly_item,
        period_start=date(2005, 9, 1),
        at_=at(date(2005, 10, 19)),
    )
    client.force_login(staff)
    page = client.get("/disclosure/timeliness/", {"year": "2005"}).content.decode()
    assert "2005年公开及时率" in page
    table = page[page.index('data-testid="timeliness-table"') :]
    row_a = table[table.index("秀水社区") : table.index("</tr>", table.index("秀水社区"))]
    assert "8%" in row_a and "(1/12)" in row_a  # 1 of 12 months on time
    assert "丛树社区" in table and "(0/12)" in table


def test_timeliness_page_lists_a_boards_late_and_missing_disclosures(
    client, monthly_item, secretary_a, staff, approver, community_a
):
    published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=monthly_item,
        period_start=date(2005, 9, 1),
        at_=at(date(2005, 10, 20)),
    )
    client.force_login(staff)
    page = client.get("/disclosure/timeliness/", {"year": "2005", "board": community_a.disclosure_board.slug})
    listing = page.content.decode().split('data-testid="late-missing"')[1]
    assert "2005-09-01 – 2005-09-30" in listing and "2005-10-19" in listing and "2005-10-20" in listing
    assert listing.count("<tr>") == 1 + 12  # header + September late + 11 months missing


@pytest.fixture
def mixed_year(secretary_a, secretary_b, staff, approver, community_a, community_b):
    """2005 with a monthly item published on time, late and not at all on two boards, and a
    council decision disclosed on time beside one never disclosed."""
    monthly = CatalogItemFactory(
        category=Category.RESIDENTS, name="居务月报", frequency=Frequency.MONTHLY, deadline_workdays=10
    )
    council = CatalogItemFactory(
        category=Category.RESIDENTS, name="民主议事会决议", frequency=Frequency.EVENT, deadline_workdays=5
    )
    quarterly = CatalogItemFactory(
        category=Category.FINANCE, name="财务季报", frequency=Frequency.QUARTERLY, deadline_workdays=15
    )
    CatalogItem.objects.exclude(pk__in=[monthly.pk, council.pk, quarterly.pk]).update(active=False)
    chain = {"author": secretary_a, "reviewer": staff, "approver": approver}
    published(**chain, community=community_a, item=monthly, period_start=date(2005, 9, 1), at_=at(date(2005, 10, 19)))
    published(**chain, community=community_a, item=monthly, period_start=date(2005, 8, 1), at_=at(date(2005, 9, 15)))
    published(**chain, community=community_a, item=quarterly, period_start=date(2005, 7, 1), at_=at(date(2005, 10, 9)))
    published(
        **{**chain, "author": secretary_b},
        community=community_b,
        item=monthly,
        period_start=date(2005, 8, 1),
        at_=at(date(2005, 9, 1)),
    )

    def event(title, day):
        return services.event_record(
            actor=secretary_a,
            event=DisclosureEvent(
                community=community_a,
                catalog_item=council,
                kind=EventKind.COUNCIL_DECISION,
                title=title,
                occurred_on=day,
            ),
        )

    disclosed = services.event_draft_notice(actor=secretary_a, event=event("通过道路硬化方案", date(2005, 9, 28)))
    through_chain(disclosed, **chain, at_=at(date(2005, 10, 9)))
    event("通过集体资产租赁方案", date(2005, 11, 7))  # never disclosed


AS_OF_DATES = (date(2005, 10, 12), date(2005, 11, 10), date(2006, 3, 1))


def _counts(rate):
    return (rate.expected, rate.on_time, rate.late, rate.missing)


@pytest.mark.usefixtures("mixed_year")
def test_the_dashboards_total_counts_as_the_cells_do():
    """timeliness_totals (the dashboard) counts in SQL what timeliness_cells counts cell by cell."""
    for as_of in AS_OF_DATES:
        cells = selectors.timeliness_cells(year=2005, as_of=as_of)
        expected = selectors.Rate()
        for cell in cells:
            expected.add(cell)
        total, published_any = selectors.timeliness_totals(years=[2005], as_of=as_of)[2005]
        assert _counts(total) == _counts(expected), as_of
        assert published_any == any(cell.published_on for cell in cells)
    assert _counts(total) == (34, 4, 1, 29)
    assert selectors.timeliness_totals(years=[2004], as_of=date(2006, 3, 1))[2004][1] is False  # nothing in 2004


@pytest.mark.usefixtures("mixed_year")
def test_each_boards_rates_count_as_its_cells_do(community_a, community_b):
    """timeliness_rates (the table, the 四权 index) gives each board's rate per category as its
    cells count, for every board at once or for a few boards, at three dates."""
    board_a, board_b = community_a.disclosure_board, community_b.disclosure_board
    for as_of in AS_OF_DATES:
        cells = selectors.timeliness_cells(year=2005, as_of=as_of)
        every = selectors.timeliness_rates(year=2005, as_of=as_of)
        only_b = selectors.timeliness_rates(year=2005, as_of=as_of, boards=[board_b])
        assert list(only_b) == [board_b]
        for board in (board_a, board_b):
            for category in (Category.RESIDENTS, Category.FINANCE, "*"):
                expected = selectors.Rate()
                for cell in cells:
                    if cell.board == board and category in (cell.item.category, "*"):
                        expected.add(cell)
                assert _counts(every[board][category]) == _counts(expected), (as_of, board, category)
        assert _counts(only_b[board_b]["*"]) == _counts(every[board_b]["*"])
    # 1 Mar 2006: A's 12 months (Sept on time, Aug late), 4 quarters (Q3 on time) and two councils
    # (one on time, one missing); B's 12 months (Aug on time) and 4 quarters.
    assert _counts(every[board_a]["*"]) == (18, 3, 1, 14)
    assert _counts(every[board_b]["*"]) == (16, 1, 0, 15)
    table = selectors.timeliness_table(year=2005, as_of=date(2006, 3, 1))
    assert _counts(table.total) == (34, 4, 1, 29)
    assert [r["board"] for r in table.rows if r["board"].community_id] == [board_a, board_b]
