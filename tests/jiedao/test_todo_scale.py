"""我的待办 does not grow with the city (issue 16 item 5): a kind of work the whole sub-district
shares (updates to review, requests to answer…) lists its newest KIND_LIMIT items and counts the
rest in the same query, shown as one line leading to where they are all listed; the counts of the
page and of the menu badge still include every item."""

from datetime import date

import pytest
from django.urls import reverse

from communities.services import monthly_update_submit
from jiedao.todo import items as todo_items_module
from jiedao.todo.items import TodoMore
from jiedao.todo.providers import todo_for, todo_list
from tests.communities.monthly_helpers import make_update
from tests.disclosure.case_helpers import recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_three(monkeypatch):
    monkeypatch.setattr(todo_items_module, "KIND_LIMIT", 3)


def submit_months(secretary, community, months, year=2005):
    for month in months:
        update = make_update(secretary, community, date(year, month, 1))
        monthly_update_submit(actor=secretary, update=update, version=update.version)


def test_past_the_limit_a_kind_lists_its_newest_and_counts_the_rest(
    limit_three, client, staff, secretary_a, community_a
):
    submit_months(secretary_a, community_a, range(1, 6))
    listed = todo_for(staff)
    assert [item.title for item in listed] == ["2005年5月", "2005年4月", "2005年3月"]
    todo = todo_list(staff)
    assert todo.more == [
        TodoMore(
            kind_label="待审核月报",
            count=2,
            url=reverse("communities:monthly_update_overview") + "?status=submitted",
        )
    ]
    assert todo.total == 5 and todo.overdue == 0

    client.force_login(staff)
    page = client.get(reverse("todo:list")).content.decode()
    assert page.count('data-testid="todo-item"') == 3
    assert "5 项工作待办" in page
    assert 'data-testid="todo-more"' in page and "另有 2 项较早的「待审核月报」" in page
    assert f'href="{reverse("communities:monthly_update_overview")}?status=submitted"' in page
    assert ">5<" in client.get(reverse("todo:badge")).content.decode()


def test_at_or_under_the_limit_every_item_is_listed_and_nothing_summed_up(limit_three, staff, secretary_a, community_a):
    submit_months(secretary_a, community_a, range(1, 4))
    todo = todo_list(staff)
    assert len(todo.items) == 3 and todo.more == [] and todo.total == 3


def test_the_unlisted_overdue_items_are_counted_as_overdue(limit_three, client, staff, community_a):
    for day in range(1, 6):  # long past their deadlines
        recorded(staff, community_a, received_on=date(2005, 3, day))
    todo = todo_list(staff)
    requests = [item for item in todo.items if item.kind_label == "待答复诉求"]
    assert len(requests) == 3 and all(item.overdue for item in requests)
    (rest,) = [more for more in todo.more if more.kind_label == "待答复诉求"]
    assert (rest.count, rest.overdue) == (2, 2)
    assert todo.total == 5 and todo.overdue == 5
    client.force_login(staff)
    page = client.get(reverse("todo:list")).content.decode()
    assert "其中 5 项已逾期" in page and "其中 2 项已逾期" in page
    assert client.get(rest.url).status_code == 200  # the line leads to a page staff may open


def test_the_work_done_for_a_kind_is_the_same_for_ten_items_or_thirty(
    limit_three, client, staff, secretary_a, community_a, django_assert_max_num_queries
):
    submit_months(secretary_a, community_a, range(1, 11))
    client.force_login(staff)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("todo:list"))
    submit_months(secretary_a, community_a, range(1, 13), year=2004)
    submit_months(secretary_a, community_a, range(1, 9), year=2003)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("todo:list")).content.decode()
    assert page.count('data-testid="todo-item"') == 3  # never more rows built than the limit
    assert "30 项工作待办" in page and "另有 27 项较早的「待审核月报」" in page
