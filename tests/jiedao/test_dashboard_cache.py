"""The staff dashboard (issues 13 finding 8 and 16): computed once per figures version, a missing
figure and its change are "—", changes coloured by their meaning, a handful of queries per view."""

import re
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.services import community_year_save, monthly_update_submit
from jiedao.models import SubDistrictYear
from jiedao.reporting import charts
from jiedao.reporting.cache import bump_figures_version, figures_version, new_figures_version
from tests.communities.factories import CommunityYearFactory
from tests.communities.monthly_helpers import make_update

pytestmark = pytest.mark.django_db

WARM_QUERIES = 6  # session, user, roles, the menu's counts: nothing of the figures themselves


@pytest.fixture
def city(community_a, community_b, secretary_a, secretary_b):
    for community, income in ((community_a, ("40.00", "50.00")), (community_b, ("20.00", "33.33"))):
        CommunityYearFactory(community=community, year=2004, collective_income=Decimal(income[0]), is_poor=True)
        CommunityYearFactory(community=community, year=2005, collective_income=Decimal(income[1]))
    SubDistrictYear.objects.create(year=2004, fiscal_revenue=1236, letters_visits=79, per_capita_income=4610)
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)
    # 2005 has monthly updates (handed in), 2004 none at all: the portal was not in use then
    for secretary, community in ((secretary_a, community_a), (secretary_b, community_b)):
        for month in (1, 2, 3):
            update = make_update(secretary, community, period=date(2005, month, 1))
            monthly_update_submit(actor=secretary, update=update, version=update.version, notify_reviewers=False)


def row(page: str, key: str) -> list[str]:
    """The cells (previous, current, change) of one figure's row, markup stripped."""
    match = re.search(rf'<tr data-figure="{key}">(.*?)</tr>', page, re.S)
    assert match, key
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def dashboard(client, year=2005) -> str:
    response = client.get(reverse("jiedao:dashboard"), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_a_year_the_portal_holds_nothing_for_is_a_blank_and_so_is_its_change(client, staff, city):
    client.force_login(staff)
    page = dashboard(client, 2005)
    previous, current, change = row(page, "monthly_submission_rate")
    assert previous == "—" and current != "—" and change == "—"  # not 0.0 % and "+25.0个百分点"
    previous, current, change = row(page, "disclosure_timeliness")
    assert previous == "—" and change == "—"  # no notice in 2004 (nor 2005 here): never "0.0%"
    assert row(page, "collective_income") == ["60.00万元", "83.33万元", "+38.9%"]  # real figures stay


def test_changes_are_coloured_by_what_they_mean_not_by_their_sign(client, staff, city):
    client.force_login(staff)
    page = dashboard(client, 2005)
    letters = re.search(r'<tr data-figure="letters_visits">.*?</tr>', page, re.S).group(0)
    assert "−12.7%" in letters and "change-good" in letters and "change-bad" not in letters  # fewer is good
    poor = re.search(r'<tr data-figure="poor_villages">.*?</tr>', page, re.S).group(0)
    assert "−100.0%" in poor and "change-good" in poor
    income = re.search(r'<tr data-figure="collective_income">.*?</tr>', page, re.S).group(0)
    assert "+38.9%" in income and "change-good" in income


def test_a_repeated_view_reads_no_figures_and_draws_no_chart(client, staff, city):
    client.force_login(staff)
    bump_figures_version()
    with CaptureQueriesContext(connection) as cold:
        first = dashboard(client)
    with CaptureQueriesContext(connection) as warm:
        second = dashboard(client)
    assert len(warm) <= WARM_QUERIES < len(cold), [q["sql"][:80] for q in warm.captured_queries]
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(first).group(0) == main.search(second).group(0)


def test_each_year_asked_is_its_own_page_and_an_unknown_year_shows_the_latest(client, staff, city):
    """The whole body, year picker included, is kept: the page kept for one year must never answer
    for another."""
    client.force_login(staff)
    heading = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
    selected = re.compile(r'<option value="(\d+)" selected>')
    for asked, shown in ((2005, "2005"), (2004, "2004"), (2005, "2005"), (1990, "2005"), ("abc", "2005")):
        page = dashboard(client, asked)
        assert heading.search(page).group(1).strip() == f"{shown}年数据看板", asked
        assert selected.findall(page) == [shown], asked
    assert row(dashboard(client, 2004), "collective_income")[1] == "60.00万元"  # 2004's own figures


def test_a_write_shows_on_the_next_view(client, staff, secretary_a, community_a, city):
    client.force_login(staff)
    assert row(dashboard(client), "collective_income")[1] == "83.33万元"
    record = community_a.years.get(year=2005)
    record.collective_income = Decimal("60.00")
    version = figures_version()
    community_year_save(actor=staff, record=record)
    assert figures_version() > version
    assert row(dashboard(client), "collective_income")[1] == "93.33万元"

    rate = row(dashboard(client), "monthly_submission_rate")[1]
    update = make_update(secretary_a, community_a, period=date(2005, 4, 1))
    monthly_update_submit(actor=secretary_a, update=update, version=update.version, notify_reviewers=False)
    assert row(dashboard(client), "monthly_submission_rate")[1] != rate  # 6 → 7 of 24 handed in


def test_writes_that_send_no_model_signal_retire_the_figures_too(staff, community_a):
    from jiedao.audit import log_update

    version = figures_version()
    record = CommunityYearFactory(community=community_a, year=2005)
    assert figures_version() > version
    version = figures_version()
    log_update(type(record).objects.filter(pk=record.pk), actor=staff, party_member_count=F("party_member_count") + 1)
    assert figures_version() > version


def test_charts_are_legible_at_the_size_shown(client, staff, city):
    client.force_login(staff)
    page = dashboard(client)
    sizes = [float(s) for s in re.findall(r"font(?:-size)?:\s*(?:[\w ]*?)(\d+(?:\.\d+)?)px", page)]
    assert sizes and min(sizes) >= 10  # in a 518-px-wide chart: ≥ 7 px even on a 360-px phone


@pytest.fixture
def draws(monkeypatch):
    """Counts the charts matplotlib draws, each test with a chart cache of its own."""
    monkeypatch.setattr(charts, "_CODE", uuid.uuid4().hex)
    drawn = []
    canvas = charts._matplotlib().FigureCanvasSVG
    print_svg = canvas.print_svg
    monkeypatch.setattr(canvas, "print_svg", lambda self, *a, **k: drawn.append(1) or print_svg(self, *a, **k))
    return drawn


def test_a_chart_is_drawn_once_per_content(draws):
    first = charts.trend_lines(title="历年来信来访", years=[2004, 2005], series={"来信来访": [79, 69]}, unit="件")
    again = charts.trend_lines(title="历年来信来访", years=[2004, 2005], series={"来信来访": [79, 69]}, unit="件")
    assert len(draws) == 1 and again == first
    changed = charts.trend_lines(title="历年来信来访", years=[2004, 2005], series={"来信来访": [79, 70]}, unit="件")
    assert len(draws) == 2 and changed.svg != first.svg and "70" in changed.alt


def test_a_cold_view_redraws_only_the_charts_whose_data_changed(client, staff, community_a, city, draws):
    client.force_login(staff)
    dashboard(client)
    drawn = len(draws)
    assert drawn == 5  # income by community, three trends, the grades
    new_figures_version()  # a write elsewhere (a notice, a monthly update): the figures are read again
    dashboard(client)
    assert len(draws) == drawn
    record = community_a.years.get(year=2005)
    record.collective_income = Decimal("61.23")
    community_year_save(actor=staff, record=record)
    assert row(dashboard(client), "collective_income")[1] == "94.56万元"
    assert len(draws) == drawn + 2  # income by community and the income trend; the others as they were
