"""The annual report: its context, HTML and PDF, and the build that staff request (queued to Celery,
progress saved as it goes). Each chapter's app part comes from that app's selectors, imported by name."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessment.selectors import annual_report_section as assessment_section
from communities.choices import CommunityKind
from communities.selectors import monthly_report_section
from communities.selectors.report import membership_report_section
from disclosure.selectors import annual_report_section as disclosure_section
from jiedao.pdf import render_pdf
from jiedao.reporting.figures import _sum, economy, income_chart, trend_charts
from jiedao.reporting.rights import rights_report_section
from jiedao.reporting.texts import annual_report_text_of
from showcase.selectors import annual_report_section as showcase_section

Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    pass


# Report parts: key → (function(*, year), template that renders it as `section`).
REPORT_PARTS = {
    "membership": (membership_report_section, "jiedao/report/_membership.html"),
    "monthly": (monthly_report_section, "jiedao/report/_monthly.html"),
    "showcase": (showcase_section, "jiedao/report/_showcase.html"),
    "assessment_team": (assessment_section, "jiedao/report/_assessment_team.html"),
    "assessment_evaluation": (assessment_section, "jiedao/report/_assessment_evaluation.html"),
    "disclosure": (disclosure_section, "jiedao/report/_disclosure.html"),
    "rights": (rights_report_section, "jiedao/report/_rights.html"),
}


@dataclass(frozen=True)
class Part:
    """One app's contribution to a chapter."""

    key: str
    template: str
    section: object

    @property
    def ready(self) -> bool:
        return self.section is not None


def report_parts(*, year: int) -> dict[str, Part]:
    cache: dict = {}
    parts = {}
    for key, (function, template) in REPORT_PARTS.items():
        if function not in cache:  # assessment's section serves two chapters: read it once
            cache[function] = function(year=year)
        parts[key] = Part(key=key, template=template, section=cache[function])
    return parts


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
        "text": annual_report_text_of(year=year),
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
