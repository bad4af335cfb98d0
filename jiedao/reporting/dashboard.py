"""The dashboard: the year against the year before, with charts; each app contributes its figures
through its selectors, imported by name (a renamed function fails at import, not silently)."""

from django.utils.translation import gettext as _

from assessment.selectors import dashboard_figures_by_year as assessment_dashboard_figures
from communities.models import Community, CommunityYear
from communities.selectors import monthly_dashboard_figures_by_year
from disclosure.selectors import dashboard_figures_by_year as disclosure_dashboard_figures
from jiedao.reporting import charts
from jiedao.reporting.cache import cached_figures
from jiedao.reporting.figures import Figure, economy, grade_chart, income_chart, roster_counted, trend_charts
from showcase.selectors import dashboard_figures_by_year as showcase_dashboard_figures

# Dashboard figures: function(*, years) → {year: dict of plain values}, merged; the years shown
# are read together, so no source costs a query per year.
DASHBOARD_SOURCES = (
    monthly_dashboard_figures_by_year,
    showcase_dashboard_figures,
    assessment_dashboard_figures,
    disclosure_dashboard_figures,
)


def app_dashboard_figures(*, years) -> dict[int, dict]:
    """Every app's dashboard figures for each of `years`, merged."""
    figures: dict[int, dict] = {year: {} for year in years}
    for function in DASHBOARD_SOURCES:
        for year, values in function(years=years).items():
            figures[year].update(values or {})
    return figures


# -- the dashboard ------------------------------------------------------------------------------


def _app_figure(key, label, current: dict, previous: dict, kind="rate", built=True, unit="") -> Figure:
    return Figure(key, label, current.get(key), previous.get(key), kind, unit, built=built)


def dashboard_context(*, year: int) -> dict:
    """The staff dashboard: the year against the year before, with charts."""
    eco = economy(year=year, with_members=False, chart_only=True)
    both = app_dashboard_figures(years=(year - 1, year))
    current, previous = both[year], both[year - 1]

    figures = eco.figures() + [
        _app_figure("monthly_submission_rate", _("Monthly-update submission rate"), current, previous),
        _app_figure("disclosure_timeliness", _("Disclosure timeliness"), current, previous),
        _app_figure("site_progress", _("Demonstration-site progress"), current, previous),
        _app_figure("appraisal_completion", _("Appraisal completion"), current, previous),
    ]
    chart_list = [income_chart(eco), *trend_charts(eco)]
    grades = grade_chart(current.get("grade_distribution"))
    if grades:
        chart_list.append(grades)
    return {"year": year, "economy": eco, "figures": figures, "charts": chart_list}


def cached_dashboard_context(*, year: int) -> dict:
    """What the staff dashboard page shows (figures and drawn charts), computed once per figures
    version and day (jiedao/reporting/cache.py): a repeated view costs no query and no drawing."""

    def compute():
        context = dashboard_context(year=year)
        return {"year": year, "figures": context["figures"], "charts": context["charts"]}

    return cached_figures("dashboard", compute, year)


def cached_community_dashboard_context(*, community: Community, year: int) -> dict:
    return cached_figures(
        "community-dashboard",
        lambda: community_dashboard_context(community=community, year=year),
        community.pk,
        year,
    )


def community_dashboard_context(*, community: Community, year: int) -> dict:
    """A secretary's dashboard: their own community only."""
    records = {r.year: r for r in roster_counted(CommunityYear.objects.filter(community=community, year__lte=year))}
    current, previous = records.get(year), records.get(year - 1)
    figures = [
        Figure(
            "collective_income",
            _("Collective disposable income"),
            current.collective_income if current else None,
            previous.collective_income if previous else None,
            "wan",
        ),
        Figure(
            "per_capita_income",
            _("Farmers' per-capita net income"),
            current.per_capita_income if current else None,
            previous.per_capita_income if previous else None,
            "yuan",
        ),
        Figure(
            "party_members",
            _("Party members"),
            current.party_member_count if current else None,
            previous.party_member_count if previous else None,
            "count",
            _("people"),
        ),
    ]
    years = sorted(records)
    chart_list = []
    if years:
        chart_list.append(
            charts.trend_lines(
                title=_("Collective disposable income of %(community)s over the years") % {"community": community.name},
                years=years,
                series={_("Collective disposable income"): [records[y].collective_income for y in years]},
                unit=_("10k yuan"),
            )
        )
    return {"year": year, "community": community, "figures": figures, "charts": chart_list}
