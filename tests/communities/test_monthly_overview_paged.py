"""The staff overview of monthly updates, summarised and paged (issue 13 finding 2, issue 16): it
opens on the latest year that has updates, its year picker lists only years with updates and the
current one, the overdue list is grouped by community and the page stays small at 300
communities with a flat query count."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community
from communities.periods import due_months, local_today
from communities.selectors.overview import OVERVIEW_PER_PAGE
from communities.services import monthly_update_submit
from jiedao.reporting.cache import bump_figures_version
from tests.communities.factories import CommunityFactory
from tests.communities.monthly_helpers import make_update

pytestmark = pytest.mark.django_db

URL = "communities:monthly_update_overview"


def add_communities(n: int, start: int = 0) -> None:
    Community.objects.bulk_create(
        [
            Community(
                code=f"S{i:04d}", name=f"规模{i}社区", kind="village", area_km2="1.00", households=10, population=30
            )
            for i in range(start, start + n)
        ]
    )
    # bulk_create sends no signal: like seed_scale, a fixture writing so retires the cached figures
    bump_figures_version()


def picker_years(page: str) -> list[int]:
    select = re.search(r'<select[^>]*name="year".*?</select>', page, re.S).group(0)
    return [int(y) for y in re.findall(r'<option value="(\d{4})"', select)]


def test_it_opens_on_the_latest_year_with_updates_and_offers_only_years_with_data(
    client, staff, secretary_a, community_a
):
    update = make_update(secretary_a, community_a, date(2005, 3, 1))
    monthly_update_submit(actor=secretary_a, update=update, version=1, notify_reviewers=False)
    client.force_login(staff)
    response = client.get(reverse(URL))
    assert response.context["overview"].year == 2005
    page = response.content.decode()
    assert "2005年月度工作报告" in page or "2005" in page
    assert picker_years(page) == [local_today().year, 2005]  # not every year from 2005 to now

    mine = client.get(reverse("communities:monthly_update_mine"))
    assert (
        mine.status_code == 403
        or mine.context is None
        or mine.context.get("years") in (None, [local_today().year, 2005])
    )


def test_a_secretarys_months_offer_the_same_years(client, secretary_a, community_a):
    make_update(secretary_a, community_a, date(2005, 3, 1))
    client.force_login(secretary_a)
    response = client.get(reverse("communities:monthly_update_mine"))
    assert response.context["year"] == 2005 and response.context["years"] == [local_today().year, 2005]


def test_overdue_months_are_grouped_by_community_and_counted_by_month(client, staff, secretary_a, community_a):
    update = make_update(secretary_a, community_a, date(2005, 1, 1))
    monthly_update_submit(actor=secretary_a, update=update, version=1, notify_reviewers=False)
    client.force_login(staff)
    page = client.get(reverse(URL), {"year": 2005}).content.decode()
    overdue = page[page.index('data-testid="overdue-list"') :]
    overdue = overdue[: overdue.index("</ul>")]
    assert overdue.count("<li>") == 1  # one line for the community, not eleven
    assert "秀水社区" in overdue and "2月、3月" in overdue and "12月" in overdue
    assert '<span class="badge bg-danger" data-testid="overdue-count">11</span>' in page
    assert "1月" not in re.search(r'data-testid="overdue-by-month">(.*?)</p>', page, re.S).group(1).split("；")[0][:3]


def test_three_hundred_communities_are_paged_small_with_flat_queries(client, staff):
    add_communities(20)
    client.force_login(staff)
    url = reverse(URL)
    client.get(url, {})
    bump_figures_version()  # both counts below are of a cold overview (the grid not yet cached)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url, {})
    add_communities(280, start=20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {})
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url, {})
    grid = re.compile(r'<table[^>]*data-testid="monthly-grid".*?</table>', re.S)
    assert len(warm) < len(many)  # the grid from the cache, the same
    assert grid.search(again.content.decode()).group(0) == grid.search(response.content.decode()).group(0)
    page = response.content.decode()
    assert len(response.content) < 200_000, len(response.content)
    assert page.count('<tr data-community="') == OVERVIEW_PER_PAGE
    due = len(due_months(local_today().year, local_today()))  # no updates: this year
    badge = re.search(r"data-testid=\"overdue-count\">(\d+)<", page).group(1)
    assert badge == str(300 * due)  # every community, every month due
    assert small.status_code == 200

    second = client.get(url, {"page": 2}).content.decode()
    names = re.findall(r'<tr data-community="([^"]+)"', second)
    assert names[0] == f"规模{OVERVIEW_PER_PAGE}社区" and len(names) == OVERVIEW_PER_PAGE
    last = client.get(url, {"page": 10}).content.decode()
    assert re.findall(r'<tr data-community="([^"]+)"', last)[-1] == "规模299社区"


def test_the_status_filter_chooses_communities_before_paging(client, staff, secretary_a, community_a):
    add_communities(40)
    for month in range(1, 13):
        update = make_update(secretary_a, community_a, date(2005, month, 1))
        monthly_update_submit(actor=secretary_a, update=update, version=1, notify_reviewers=False)
    client.force_login(staff)
    page = client.get(reverse(URL), {"year": 2005, "state": "submitted"}).content.decode()
    assert re.findall(r'<tr data-community="([^"]+)"', page) == ["秀水社区"]
    overdue_only = client.get(reverse(URL), {"year": 2005, "state": "overdue"}).content.decode()
    assert "秀水社区" not in re.findall(r'<tr data-community="([^"]+)"', overdue_only)


def test_the_picker_rule_is_one_kernel_helper():
    from django.test import RequestFactory

    from jiedao.viewkit import chosen_year, year_choices

    assert year_choices([2005, 2003], 2026) == [2026, 2005, 2003]
    request = RequestFactory().get("/", {"year": "2004"})
    assert chosen_year(request, [2005, 2003], 2026) == 2005  # 2004 holds nothing: the latest with data
    assert chosen_year(RequestFactory().get("/", {"year": "2003"}), [2005, 2003], 2026) == 2003
    assert chosen_year(RequestFactory().get("/"), [], 2026) == 2026
    _ = CommunityFactory  # the factory module is importable next to the bulk rows


def test_a_write_through_a_service_shows_on_the_next_view_of_the_cached_overview(
    client, staff, secretary_a, community_a
):
    """The grid is cached per figures version: submitting (and accepting) an update retires it."""
    update = make_update(secretary_a, community_a, date(2005, 1, 1))
    client.force_login(staff)

    def january() -> str:
        page = client.get(reverse(URL), {"year": 2005}).content.decode()
        row = page[page.index('<tr data-community="秀水社区"') :]
        return re.search(r'<td class="text-center mu-cell mu-(\w+)[^"]*" data-month="1"', row).group(1)

    before = january()
    assert january() == before  # the cached grid
    monthly_update_submit(actor=secretary_a, update=update, version=1, notify_reviewers=False)
    assert january() == "submitted" != before
