"""The annual report: its context, HTML and PDF, and the build that staff request (queued to Celery,
progress saved as it goes). Each chapter's app part comes from that app's selectors, imported by name."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessment.selectors import annual_report_section as assessment_section
from communities.choices import CommunityKind
from communities.selectors import monthly_report_section
from communities.selectors.report import membership_report_section
from disclosure.selectors import annual_report_section as disclosure_section
from jiedao.pdf import PAGE_LINK, join_pdfs, render_pdf, render_pdf_document
from jiedao.readonce import read_once, shared_reads
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
    with shared_reads():  # assessment's section serves two chapters: read it once
        return {
            key: Part(key=key, template=template, section=read_once(function)(year=year))
            for key, (function, template) in REPORT_PARTS.items()
        }


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
    with shared_reads():  # what two chapters read (the year's 公开及时率) is read once
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
        "running_title": settings.SUBDISTRICT_NAME
        + _("Party Working Committee")
        + " · "
        + _("Annual party-building report %(year)s") % {"year": year},
    }


# -- the report's documents ---------------------------------------------------------------------
#
# Every chapter starts on a new page, so the report can be laid out in several documents and joined
# without moving a line: WeasyPrint's memory grows with the pages of one document (at 300 communities
# the whole report at once took 830 MB), a document of a bounded size keeps a build's peak flat. The
# running title and the page numbers ("第 3 页 / 共 97 页") are laid over the joined pages, since the
# total is known only then; the contents page, laid out last, gives each chapter's page as a number.
# A report that fits in one document (the demo's 20 communities) is laid out at once instead, as
# annual_report_html: no second document for the cover and the page furniture, and no join.

# HTML characters (layout_size) laid out in one document at most, about 40 pages of tables and 170 MB
# of WeasyPrint's boxes (make bench). A chapter larger than this is cut before one of its sections,
# which then starts a page; a single section is never cut.
DOCUMENT_SIZE = 120_000
# A chart's `data:` URL is one image to WeasyPrint however long it is, not pages of boxes: not counted.
DATA_URL = re.compile(r'"data:[^"]*"')
# The cover and the contents (checked on every build).
FRONT_PAGES = 2
FURNITURE_ANCHOR = "page-furniture"
# Communities per run of the appendix (each run can end a document).
APPENDIX_RUN = 40

CHAPTERS = (
    ("overview", "jiedao/report/_overview.html", gettext_noop("Overview")),
    ("team", "jiedao/report/_chapter_team.html", gettext_noop("1. Building the team")),
    ("showcase", "jiedao/report/_chapter_showcase.html", gettext_noop("2. Demonstration sites")),
    ("democracy", "jiedao/report/_chapter_democracy.html", gettext_noop("3. Grassroots democracy")),
    ("economy", "jiedao/report/_chapter_economy.html", gettext_noop("4. Economic and social development")),
    ("outlook", "jiedao/report/_chapter_outlook.html", gettext_noop("5. Problems and plans")),
)
APPENDIX = ("appendix", gettext_noop("Appendix: the communities"))


def layout_size(html: str) -> int:
    """The characters of `html` that count against DOCUMENT_SIZE: all but its `data:` URLs."""
    return len(DATA_URL.sub('""', html))


@dataclass(frozen=True)
class Chapter:
    """A run of the report that starts on a page of its own, as HTML: a chapter or part of the appendix."""

    anchor: str  # the id of its first heading ("" for a continued appendix)
    html: str


def report_chapters(context: dict) -> list[Chapter]:
    chapters = []
    for anchor, template, _title in CHAPTERS:
        html = render_to_string(template, context)
        chapters.extend(_cut(Chapter(anchor, html)) if layout_size(html) > DOCUMENT_SIZE else [Chapter(anchor, html)])
    rows = context["rows"]
    for start in range(0, max(len(rows), 1), APPENDIX_RUN):
        first = start == 0
        html = render_to_string(
            "jiedao/report/_appendix.html", {**context, "rows": rows[start : start + APPENDIX_RUN], "first": first}
        )
        chapters.append(Chapter(APPENDIX[0] if first else "", html))
    return chapters


class _SectionStarts(HTMLParser):
    """Where the chapter's own sections (its <h3> children) start in its HTML."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.depth, self.starts = 0, []
        self.line_offsets = [0]
        for line in html.splitlines(keepends=True):
            self.line_offsets.append(self.line_offsets[-1] + len(line))
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "h3" and self.depth == 1:  # inside the chapter's <section>, not in a nested one
            line, column = self.getpos()
            self.starts.append(self.line_offsets[line - 1] + column)
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth -= 1


def _cut(chapter: Chapter) -> list[Chapter]:
    """A chapter in runs of whole sections, each about DOCUMENT_SIZE at most; the runs after the first
    go on numbering the sections （四）（五）… where the one before stopped."""
    html, starts = chapter.html, _SectionStarts(chapter.html).starts
    cuts, run_start, previous = [], 0, 0
    for start in [*starts[1:], len(html)]:  # the heading stays with the first section
        if previous > run_start and layout_size(html[run_start:start]) > DOCUMENT_SIZE:
            cuts.append(previous)
            run_start = previous
        previous = start
    if not cuts:
        return [chapter]
    pieces = [html[a:b] for a, b in zip([0, *cuts], [*cuts, len(html)], strict=True)]
    runs = [Chapter(chapter.anchor, pieces[0] + "</section>")]
    numbered = pieces[0].count("<h3")
    for piece in pieces[1:]:
        opening = f'<section class="chapter" style="counter-reset: section {numbered}">'
        runs.append(Chapter("", opening + piece + ("" if piece is pieces[-1] else "</section>")))
        numbered += piece.count("<h3")
    return runs


def _front(context: dict, pages: dict[str, int] | None = None) -> str:
    """The cover and the contents; with `pages`, each chapter's page as a number linked to that page."""
    contents = [
        {"anchor": anchor, "title": _(title), "page": (pages or {}).get(anchor)}
        for anchor, _template, title in (*CHAPTERS, (APPENDIX[0], "", APPENDIX[1]))
    ]
    return render_to_string("jiedao/report/_front.html", {**context, "contents": contents, "page_link": PAGE_LINK})


def report_document(context: dict, *, body: str, furniture: bool = True, blank_pages: int = 0) -> str:
    """The report's HTML document around `body`; without `furniture`, pages without running title and
    numbers; with `blank_pages`, that many empty pages after the body, carrying only those."""
    return render_to_string(
        "jiedao/report/annual.html",
        {**context, "body": mark_safe(body), "furniture": furniture, "blank_pages": range(blank_pages)},  # noqa: S308 - our templates' output
    )


def annual_report_html(*, year: int, progress: Progress = _no_progress) -> str:
    """The whole report as one HTML document (what the PDF shows, laid out at once)."""
    context = annual_report_context(year=year, progress=progress)
    progress(55, _("Writing the chapters"))
    return _whole_document(context, report_chapters(context))


def _whole_document(context: dict, chapters: list[Chapter]) -> str:
    """The cover, the contents (pages by target-counter) and `chapters` as one document, furniture by CSS."""
    return report_document(context, body=_front(context) + "".join(chapter.html for chapter in chapters))


def documents_of(chapters: list[Chapter]) -> list[list[Chapter]]:
    """Consecutive chapters grouped into documents of about DOCUMENT_SIZE characters each."""
    documents: list[list[Chapter]] = []
    size = DOCUMENT_SIZE
    for chapter in chapters:
        chapter_size = layout_size(chapter.html)
        if size + chapter_size > DOCUMENT_SIZE:
            documents.append([])
            size = 0
        documents[-1].append(chapter)
        size += chapter_size
    return documents


def annual_report_pdf(*, year: int, progress: Progress = _no_progress) -> bytes:
    context = annual_report_context(year=year, progress=progress)
    progress(55, _("Writing the chapters"))
    documents = documents_of(report_chapters(context))
    if len(documents) == 1:  # laid out at once, as annual_report_html: no front document and no join
        html = _whole_document(context, documents[0])
        del context, documents  # the rows read are not kept through the layout
        progress(60, _("Laying out the pages"))
        pdf = render_pdf(html)
        progress(95, _("Saving the file"))
        return pdf
    laid_out, pages = [], {}
    offset = FRONT_PAGES
    for number, chapters in enumerate(documents, 1):
        progress(60 + 30 * number // len(documents), _("Laying out the pages"))
        rendered = render_pdf_document(
            report_document(context, body="".join(c.html for c in chapters), furniture=False)
        )
        pages.update({anchor: offset + index + 1 for anchor, index in rendered.anchors.items()})
        laid_out.append(rendered.pdf)
        offset += rendered.pages
    # Last, the cover and the contents, followed by one blank page with the running title and the
    # page number for every later page: laid over them when joined.
    front = render_pdf_document(report_document(context, body=_front(context, pages), blank_pages=offset - FRONT_PAGES))
    if front.anchors.get(FURNITURE_ANCHOR) != FRONT_PAGES:
        raise ValueError(f"the cover and contents took {front.anchors.get(FURNITURE_ANCHOR)} pages, not {FRONT_PAGES}")
    progress(95, _("Saving the file"))
    return join_pdfs(front.pdf, laid_out, front_pages=FRONT_PAGES)
