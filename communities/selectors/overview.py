"""The staff overview of monthly updates, summarised and paged (issues 13 finding 2 and 16).

The first version drew every community's twelve cells and listed every overdue community-month:
about 200 lines on a 6,000-px page for the 20-community demo, 7.8 MB at 3,000 communities. Now:

- the grid is paged by community (`OVERVIEW_PER_PAGE` a page), so its rows and queries do not
  grow with the city; the filters (type, name, status) choose the communities before paging;
- the overdue updates are summed up for the whole selection (how many, and how many communities
  per month, one grouped query) and listed per community, grouped ("秀水社区：3月、4月"), for the
  communities of the page only;
- the page opens on the latest year that has updates, and the year picker offers the years with
  updates plus the current one (never a run of empty years).
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communities.choices import MonthlyCell
from communities.models import Community, MonthlyTally, MonthlyUpdate
from communities.periods import due_months, local_today, month_label
from communities.selectors import FILED_STATUSES, GridRow, monthly_cell_state, monthly_grid
from jiedao.reporting.cache import cached_figures
from jiedao.viewkit import chosen_year, year_choices

OVERVIEW_PER_PAGE = 30
YEARS_CACHE_KEY = "communities:monthly-years"
YEARS_CACHE_SECONDS = 300


def monthly_years_with_data() -> list[int]:
    """The years that hold at least one monthly update, newest first. Reading them scans the
    table, so the answer is cached under the highest update id (one index look-up): a new
    update retires it at once; a deleted draft at the latest after `YEARS_CACHE_SECONDS`."""
    last = MonthlyUpdate.objects.aggregate(last=Max("id"))["last"]
    key = f"{YEARS_CACHE_KEY}:{last}"
    years = cache.get(key)
    if years is None:
        years = sorted({d.year for d in MonthlyUpdate.objects.dates("period", "year")}, reverse=True)
        cache.set(key, years, timeout=YEARS_CACHE_SECONDS)
    return years


def monthly_overview_year(request, today: date | None = None) -> tuple[int, list[int]]:
    """(the year to show, the picker's years): ?year= when it is one of the picker's years, else
    the latest year with updates (never a future one), else this year."""
    today = today or local_today()
    with_data = [y for y in monthly_years_with_data() if y <= today.year]
    return chosen_year(request, with_data, today.year), year_choices(with_data, today.year)


@dataclass
class OverdueGroup:
    community: Community
    months: list[date]  # overdue months, oldest first
    text: str = ""  # "3月、4月、5月"


@dataclass
class OverviewPage:
    rows: list[GridRow]
    page_obj: object  # django.core.paginator.Page over the selected communities
    overdue_total: int  # overdue community-months of the whole selection
    overdue_by_month: list[tuple[date, int]]  # (month, communities overdue), due months only
    overdue_groups: list[OverdueGroup]  # the page's communities with overdue months


def _states_of(communities: QuerySet[Community], year: int, today: date) -> dict[int, set[str]]:
    """Each selected community's cell states over the year (for the status filter): one query of
    narrow rows, the cells without an update filled in here."""
    statuses: dict[int, dict[int, str]] = {}
    for community_id, period, status in MonthlyUpdate.objects.filter(
        period__year=year, community__in=communities
    ).values_list("community_id", "period", "status"):
        statuses.setdefault(community_id, {})[period.month] = status
    current = today.replace(day=1)
    states = {}
    for community_id in communities.values_list("pk", flat=True):
        months = statuses.get(community_id, {})
        states[community_id] = {
            monthly_cell_state(months.get(m), date(year, m, 1), today)
            for m in range(1, 13)
            if date(year, m, 1) <= current
        }
    return states


def _label_cells(rows: list[GridRow], year: int) -> None:
    """Each row's cells written as HTML here, not by template filters and `{% url %}` per cell
    (they were most of the page's time): twelve month labels, the cells' few labels and one
    reversed URL prefix escaped once, each community's name once a row; and each row's count of
    三会一课 misses (the list is on the community's page)."""
    months = {m: escape(month_label(date(year, m, 1))) for m in range(1, 13)}
    prefix = reverse("communities:monthly_update_detail", args=[0]).removesuffix("0/")
    late = format_html(
        '<span class="mu-late-mark" title="{}">{}</span>', _("submitted after the deadline"), _("Late filing")
    )
    labels: dict[str, str] = {}
    for row in rows:
        # The misses themselves are listed on the community's page (the link): here only how many.
        misses = len(row.compliance.misses)
        row.misses_text = _("%(count)s not held") % {"count": misses} if misses else ""
        name, html = escape(row.community.name), []
        for cell in row.cells:
            label = labels.get(cell.label)
            if label is None:
                label = labels[cell.label] = escape(cell.label)
            cell.url = f"{prefix}{cell.update_id}/" if cell.update_id else ""
            html.append(_cell_html(cell, f"{name} {months[cell.period.month]}：{label}", label, late))
        row.cells_html = mark_safe("".join(html))  # noqa: S308 - every value above is escaped


def _cell_html(cell, title: str, label: str, late: str) -> str:
    """One cell of the grid, as the template wrote it; `title` and `label` come escaped. 360 cells
    a page through the template language cost more than the rest of the page together."""
    if cell.url:
        content = f'<a href="{escape(cell.url)}">{label}</a>'
    elif cell.future:
        content = f'<span class="visually-hidden">{label}</span>'
    else:
        content = label
    future = " mu-future" if cell.future else ""
    return (
        f'<td class="text-center mu-cell mu-{escape(cell.state)}{future}" data-month="{cell.period.month}" '
        f'title="{title}">{content}{late if cell.is_late else ""}</td>'
    )


def _selection_key(selected: QuerySet[Community]) -> str:
    """The selection's SQL (its filters and the user's scope, e.g. one secretary's community)."""
    try:
        return str(selected.query)
    except EmptyResultSet:  # .none(): a user who sees no community
        return "none"


def monthly_overview_page(
    *,
    user,
    year: int,
    communities: QuerySet[Community],
    state: str = "",
    page_number=1,
    today: date | None = None,
    per_page: int = OVERVIEW_PER_PAGE,
) -> OverviewPage:
    """One page of the overview. Its data (grid, cells' HTML, overdue summary) is the same for
    everyone with the same selection, so it is computed once per figures version (every write to
    the communities app bumps it, jiedao/reporting/cache.py) and kept under the selection's SQL,
    the filters, the page, the day and the language: a repeated view costs one cache read instead
    of the grid's queries and Python work (issue 16). Nothing personal is kept: the scope is part
    of the key and each request still renders its own page."""
    today = today or local_today()
    selected = communities.restrict(user).order_by("code")
    parts = f"{_selection_key(selected)}|{state}|{page_number}|{per_page}|{year}|{today}|{get_language()}"
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    data = cached_figures(
        "monthly-overview",
        lambda: _overview_data(
            user=user,
            year=year,
            selected=selected,
            state=state,
            page_number=page_number,
            today=today,
            per_page=per_page,
        ),
        digest,
    )
    paginator = Paginator([], per_page)
    paginator.count = data["count"]  # the cached_property, filled from the cache
    return OverviewPage(
        rows=data["rows"],
        page_obj=Page(data["communities"], data["number"], paginator),
        overdue_total=data["overdue_total"],
        overdue_by_month=data["overdue_by_month"],
        overdue_groups=data["overdue_groups"],
    )


def _overview_data(*, user, year, selected, state, page_number, today, per_page) -> dict:
    """Queries: the page's communities and their updates (the grid), the communities' count, one
    grouped count for the overdue summary; the status filter adds one query of narrow rows over
    the selection."""
    if state:
        keep = [pk for pk, states in _states_of(selected, year, today).items() if state in states]
        selected = selected.filter(pk__in=keep)
    paginator = Paginator(selected.only("id", "code", "name", "kind"), per_page)
    page_obj = paginator.get_page(page_number)
    page_communities = list(page_obj.object_list)
    page_ids = [c.pk for c in page_communities]
    rows = monthly_grid(user=user, year=year, today=today, communities=Community.objects.filter(pk__in=page_ids))
    _label_cells(rows, year)

    due = due_months(year, today)
    if selected.query.where:  # a part of the city: per month over the year's range, from the
        # index monthlyupdate_period_status alone (no EXTRACT per row, no join to the communities)
        filed = {
            period.month: n
            for period, n in MonthlyUpdate.objects.filter(
                period__gte=date(year, 1, 1),
                period__lte=date(year, 12, 1),
                status__in=FILED_STATUSES,
                community_id__in=selected.values("pk"),
            )
            .order_by()
            .values_list("period")
            .annotate(n=Count("*"))
        }
    else:  # the whole city: twelve rows, as MonthlyTally keeps them
        filed = {
            tally.period.month: sum(tally.count(status) for status in FILED_STATUSES)
            for tally in MonthlyTally.objects.filter(period__gte=date(year, 1, 1), period__lte=date(year, 12, 1))
        }
    total_communities = paginator.count
    by_month = [(date(year, m, 1), total_communities - filed.get(m, 0)) for m in due]
    groups = []
    for row in rows:
        months = [cell.period for cell in row.cells if cell.state == MonthlyCell.OVERDUE]
        if months:
            text = "、".join(_("M%(n)s") % {"n": m.month} for m in months)
            groups.append(OverdueGroup(row.community, months, text))
    return {
        "count": total_communities,
        "number": page_obj.number,
        "communities": page_communities,
        "rows": rows,
        "overdue_total": sum(n for _month, n in by_month),
        "overdue_by_month": [(m, n) for m, n in by_month if n],
        "overdue_groups": groups,
    }
