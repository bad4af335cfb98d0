"""The dashboard and the annual report: context builders and the PDF build (DESIGN §6).

Every figure is read from the database here, never typed into a template. The other apps
contribute through the functions they expose in their selectors (the contract in the team
brief); `_app_function` looks them up when present, and a part whose app is not built yet
renders 本章数据尚未建立 instead of failing. The number of SQL queries of a build does not
depend on the number of communities (tested in tests/jiedao/test_report_queries.py).
"""

import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from communities.choices import CommunityKind
from communities.models import Cadre, Community, CommunityYear
from communities.selectors import change_ratio
from jiedao import charts
from jiedao.models import SubDistrictYear
from jiedao.pdf import render_pdf

Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    pass


# -- the other apps, when they are there ------------------------------------------------------

# Dashboard figures: module → function(*, year) → dict of plain values.
DASHBOARD_SOURCES = [
    ("communities.selectors", "monthly_dashboard_figures"),
    ("showcase.selectors", "dashboard_figures"),
    ("assessment.selectors", "dashboard_figures"),
    ("disclosure.selectors", "dashboard_figures"),
]

# Report parts: key → (module, function(*, year), template that renders it as `section`).
REPORT_PARTS = {
    "monthly": ("communities.selectors", "monthly_report_section", "jiedao/report/_monthly.html"),
    "showcase": ("showcase.selectors", "annual_report_section", "jiedao/report/_showcase.html"),
    "assessment_team": ("assessment.selectors", "annual_report_section", "jiedao/report/_assessment_team.html"),
    "assessment_evaluation": (
        "assessment.selectors",
        "annual_report_section",
        "jiedao/report/_assessment_evaluation.html",
    ),
    "disclosure": ("disclosure.selectors", "annual_report_section", "jiedao/report/_disclosure.html"),
}


def _app_function(module_name: str, function_name: str):
    """The app's function, or None while the app (or that function) is not built yet."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, function_name, None)


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@dataclass(frozen=True)
class Part:
    """One app's contribution to a chapter; `section` is None while that app is not built."""

    key: str
    template: str
    section: object | None

    @property
    def ready(self) -> bool:
        return self.section is not None


def report_parts(*, year: int) -> dict[str, Part]:
    cache: dict[tuple[str, str], object] = {}
    parts = {}
    for key, (module_name, function_name, template) in REPORT_PARTS.items():
        function = _app_function(module_name, function_name)
        section = None
        if function is not None and _template_exists(template):
            if (module_name, function_name) not in cache:
                cache[(module_name, function_name)] = function(year=year)
            section = cache[(module_name, function_name)]
        parts[key] = Part(key=key, template=template, section=section)
    return parts


def app_dashboard_figures(*, year: int) -> dict:
    """Every app's dashboard figures for `year`, merged; absent apps give nothing."""
    figures: dict = {}
    for module_name, function_name in DASHBOARD_SOURCES:
        function = _app_function(module_name, function_name)
        if function is not None:
            figures.update(function(year=year) or {})
    return figures


# -- figures with their change ----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """An indicator this year beside last year. `kind` says how to print it: wan (万元),
    yuan (元), count (with `unit`) or rate (0..1, its change in percentage points)."""

    key: str
    label: str
    current: object
    previous: object
    kind: str
    unit: str = ""
    built: bool = True  # False: the app that computes it is not built yet

    @property
    def change(self):
        if self.current is None or self.previous is None:
            return None
        if self.kind == "rate":
            return Decimal(self.current) - Decimal(self.previous)
        return change_ratio(self.current, self.previous)


@dataclass
class CommunityRow:
    community: Community
    current: CommunityYear | None = None
    previous: CommunityYear | None = None
    cadres: list = field(default_factory=list)  # in office this year
    elected: list = field(default_factory=list)  # of them, directly elected (公推直选)

    def _value(self, which: str, attr: str):
        record = getattr(self, which)
        return getattr(record, attr) if record is not None else None

    income_previous = property(lambda self: self._value("previous", "collective_income"))
    income_current = property(lambda self: self._value("current", "collective_income"))
    per_capita_previous = property(lambda self: self._value("previous", "per_capita_income"))
    per_capita_current = property(lambda self: self._value("current", "per_capita_income"))
    members_previous = property(lambda self: self._value("previous", "party_member_count"))
    members_current = property(lambda self: self._value("current", "party_member_count"))

    @property
    def income_change(self):
        if not (self.current and self.previous):
            return None
        return change_ratio(self.current.collective_income, self.previous.collective_income)

    @property
    def per_capita_change(self):
        if not (self.current and self.previous):
            return None
        return change_ratio(self.current.per_capita_income, self.previous.per_capita_income)


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


@dataclass
class Economy:
    """Chapter 四 and the dashboard's economic figures, from CommunityYear and SubDistrictYear."""

    year: int
    rows: list[CommunityRow]
    subdistrict: SubDistrictYear | None
    subdistrict_previous: SubDistrictYear | None
    history: list[dict]  # one dict per year on record: year, income, poor, members, fiscal, per_capita, letters

    def _total(self, attr: str, which: str) -> Decimal | None:
        return _sum(getattr(getattr(r, which), attr) for r in self.rows if getattr(r, which) is not None)

    @property
    def income_total(self):
        return self._total("collective_income", "current")

    @property
    def income_total_previous(self):
        return self._total("collective_income", "previous")

    @property
    def members_total(self):
        return self._total("party_member_count", "current")

    @property
    def members_total_previous(self):
        return self._total("party_member_count", "previous")

    @property
    def poor(self) -> list[Community]:
        return [r.community for r in self.rows if r.current and r.current.is_poor]

    @property
    def poor_previous(self) -> list[Community]:
        return [r.community for r in self.rows if r.previous and r.previous.is_poor]

    @property
    def has_previous(self) -> bool:
        return any(r.previous for r in self.rows) or self.subdistrict_previous is not None

    def figures(self) -> list[Figure]:
        sd, sdp = self.subdistrict, self.subdistrict_previous
        return [
            Figure(
                "collective_income",
                _("Collective disposable income"),
                self.income_total,
                self.income_total_previous,
                "wan",
            ),
            Figure(
                "per_capita_income",
                _("Farmers' per-capita net income"),
                sd.per_capita_income if sd else None,
                sdp.per_capita_income if sdp else None,
                "yuan",
            ),
            Figure(
                "fiscal_revenue",
                _("Fiscal revenue"),
                sd.fiscal_revenue if sd else None,
                sdp.fiscal_revenue if sdp else None,
                "wan",
            ),
            Figure(
                "letters_visits",
                _("Letters and visits"),
                sd.letters_visits if sd else None,
                sdp.letters_visits if sdp else None,
                "count",
                _("cases"),
            ),
            Figure(
                "poor_villages",
                _("Poor villages"),
                len(self.poor) if any(r.current for r in self.rows) else None,
                len(self.poor_previous) if any(r.previous for r in self.rows) else None,
                "count",
                _("villages"),
            ),
        ]


def economy(*, year: int, with_cadres: bool = False) -> Economy:
    """A fixed number of queries, however many communities there are."""
    communities = list(Community.objects.order_by("code"))
    rows = {c.pk: CommunityRow(community=c) for c in communities}
    for record in CommunityYear.objects.filter(year__in=(year, year - 1)):
        row = rows.get(record.community_id)
        if row is not None:
            setattr(row, "current" if record.year == year else "previous", record)
    if with_cadres:
        in_office = Cadre.objects.filter(term_start__lte=date(year, 12, 31)).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=date(year, 1, 1))
        )
        for cadre in in_office.order_by("community_id", "term_start", "name"):
            row = rows.get(cadre.community_id)
            if row is not None:
                row.cadres.append(cadre)
                if cadre.directly_elected:
                    row.elected.append(cadre)
    subdistrict_years = {y.year: y for y in SubDistrictYear.objects.all()}
    by_year = {
        r["year"]: r
        for r in CommunityYear.objects.values("year").annotate(
            income=Sum("collective_income"), members=Sum("party_member_count"), poor=Count("pk", filter=Q(is_poor=True))
        )
    }
    history = []
    for y in sorted(set(by_year) | set(subdistrict_years)):
        if y > year:
            continue
        c, s = by_year.get(y, {}), subdistrict_years.get(y)
        history.append(
            {
                "year": y,
                "income": c.get("income"),
                "members": c.get("members"),
                "poor": c.get("poor"),
                "fiscal_revenue": s.fiscal_revenue if s else None,
                "per_capita_income": s.per_capita_income if s else None,
                "letters_visits": s.letters_visits if s else None,
            }
        )
    return Economy(
        year=year,
        rows=list(rows.values()),
        subdistrict=subdistrict_years.get(year),
        subdistrict_previous=subdistrict_years.get(year - 1),
        history=history,
    )


def years_on_record() -> list[int]:
    years = set(CommunityYear.objects.values_list("year", flat=True).distinct())
    years |= set(SubDistrictYear.objects.values_list("year", flat=True))
    return sorted(years, reverse=True)


# -- charts -------------------------------------------------------------------------------------


CHART_MAX_COMMUNITIES = 30  # a larger city's chart shows the top 30; every community is in the tables


def income_chart(eco: Economy) -> charts.Chart:
    rows = [r for r in eco.rows if r.current or r.previous]
    title = _("Collective disposable income by community")
    if len(rows) > CHART_MAX_COMMUNITIES:
        rows = sorted(rows, key=lambda r: r.current.collective_income if r.current else Decimal(-1), reverse=True)
        rows = rows[:CHART_MAX_COMMUNITIES]
        title = _("Collective disposable income: the %(count)s communities with the most") % {"count": len(rows)}
    return charts.grouped_bars(
        title=title,
        categories=[r.community.name for r in rows],
        series={
            str(eco.year - 1): [r.previous.collective_income if r.previous else None for r in rows],
            str(eco.year): [r.current.collective_income if r.current else None for r in rows],
        },
        unit=_("10k yuan"),
        horizontal=True,
    )


def trend_charts(eco: Economy) -> list[charts.Chart]:
    years = [h["year"] for h in eco.history]
    if not years:
        return []
    return [
        charts.trend_lines(
            title=_("Collective income and fiscal revenue over the years"),
            years=years,
            series={
                _("Collective disposable income"): [h["income"] for h in eco.history],
                _("Fiscal revenue"): [h["fiscal_revenue"] for h in eco.history],
            },
            unit=_("10k yuan"),
        ),
        charts.trend_lines(
            title=_("Farmers' per-capita net income over the years"),
            years=years,
            series={_("Farmers' per-capita net income"): [h["per_capita_income"] for h in eco.history]},
            unit=_("yuan"),
        ),
        charts.trend_lines(
            title=_("Letters and visits over the years"),
            years=years,
            series={_("Letters and visits"): [h["letters_visits"] for h in eco.history]},
            unit=_("cases"),
        ),
    ]


def grade_chart(grades: dict | None) -> charts.Chart | None:
    if not grades:
        return None
    return charts.distribution(title=_("Appraisal grade distribution"), counts=grades, unit=_("people"))


# -- the dashboard ------------------------------------------------------------------------------


def _app_figure(key, label, current: dict, previous: dict, kind="rate", built=True, unit="") -> Figure:
    return Figure(key, label, current.get(key), previous.get(key), kind, unit, built=built)


def dashboard_context(*, year: int) -> dict:
    """The staff dashboard: the year against the year before, with charts."""
    eco = economy(year=year)
    current, previous = app_dashboard_figures(year=year), app_dashboard_figures(year=year - 1)

    def built(module_name, function_name):
        return _app_function(module_name, function_name) is not None

    monthly = built("communities.selectors", "monthly_dashboard_figures")
    showcase = built("showcase.selectors", "dashboard_figures")
    assessment = built("assessment.selectors", "dashboard_figures")
    disclosure = built("disclosure.selectors", "dashboard_figures")
    figures = eco.figures() + [
        _app_figure("monthly_submission_rate", _("Monthly-update submission rate"), current, previous, built=monthly),
        _app_figure("disclosure_timeliness", _("Disclosure timeliness"), current, previous, built=disclosure),
        _app_figure("site_progress", _("Demonstration-site progress"), current, previous, built=showcase),
        _app_figure("appraisal_completion", _("Appraisal completion"), current, previous, built=assessment),
    ]
    chart_list = [income_chart(eco), *trend_charts(eco)]
    grades = grade_chart(current.get("grade_distribution"))
    if grades:
        chart_list.append(grades)
    return {"year": year, "economy": eco, "figures": figures, "charts": chart_list}


def community_dashboard_context(*, community: Community, year: int) -> dict:
    """A secretary's dashboard: their own community only."""
    records = {r.year: r for r in CommunityYear.objects.filter(community=community, year__lte=year)}
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


# -- the annual report --------------------------------------------------------------------------


def page_footer_css() -> tuple[str, str, str]:
    """'第 ', ' 页 / 共 ', ' 页' around the two page counters, safe inside a CSS string."""
    text = _("Page {page} of {pages}")
    before, rest = text.split("{page}", 1)
    middle, after = rest.split("{pages}", 1)
    return tuple(mark_safe(_css_string(s)) for s in (before, middle, after))  # noqa: S308 - escaped for CSS


def _css_string(text: str) -> str:
    """Text made safe inside a double-quoted CSS string in a <style> element."""
    out = []
    for char in text:
        out.append(f"\\{ord(char):x} " if char in "\\\"<>&'\n\r" else char)
    return "".join(out)


def annual_report_context(*, year: int, progress: Progress = _no_progress) -> dict:
    progress(10, _("Reading the communities' figures"))
    eco = economy(year=year, with_cadres=True)
    progress(25, _("Reading the other apps' chapters"))
    parts = report_parts(year=year)
    progress(40, _("Drawing the charts"))
    chart_list = [income_chart(eco), *trend_charts(eco)]
    kinds = defaultdict(int)
    for row in eco.rows:
        kinds[row.community.kind] += 1
    cadres = [c for r in eco.rows for c in r.cadres]
    elected = [c for r in eco.rows for c in r.elected]
    footer = page_footer_css()
    return {
        "year": year,
        "previous_year": year - 1,
        "subdistrict_name": settings.SUBDISTRICT_NAME,
        "generated_at": timezone.localtime(),
        "economy": eco,
        "figures": eco.figures(),
        "rows": eco.rows,
        "community_count": len(eco.rows),
        "village_count": kinds[CommunityKind.VILLAGE],
        "area_total": _sum(r.community.area_km2 for r in eco.rows),
        "population_total": sum(r.community.population for r in eco.rows),
        "households_total": sum(r.community.households for r in eco.rows),
        "cadre_count": len(cadres),
        "elected_count": len(elected),
        "elected_rows": [r for r in eco.rows if r.elected],
        "parts": parts,
        "charts": chart_list,
        "income_chart": chart_list[0],
        "trend_charts": chart_list[1:],
        "footer_before": footer[0],
        "footer_middle": footer[1],
        "footer_after": footer[2],
    }


def annual_report_html(*, year: int, progress: Progress = _no_progress) -> str:
    context = annual_report_context(year=year, progress=progress)
    progress(55, _("Writing the chapters"))
    return render_to_string("jiedao/report/annual.html", context)


def annual_report_pdf(*, year: int, progress: Progress = _no_progress) -> bytes:
    html = annual_report_html(year=year, progress=progress)
    progress(65, _("Laying out the pages"))
    pdf = render_pdf(html)
    progress(95, _("Saving the file"))
    return pdf
