"""The annual report laid out in several documents and joined (issue 16: bounded memory) reads as the
report laid out at once: the same text, the contents' page numbers, bookmarks and links on the pages
the chapters start on, and every page after the cover numbered "第 N 页 / 共 M 页" under the running title.
A report that fits in one document is laid out at once, and reads the same."""

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from django.utils.translation import override

from communities import demo as communities_demo
from jiedao import demo as jiedao_demo
from jiedao.pdf import render_pdf
from jiedao.reporting import annual as reports

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "概况",
    "一、队伍建设",
    "二、示范点创建",
    "三、基层民主政治建设",
    "四、经济社会发展",
    "五、存在问题和下步打算",
    "附表：各社区情况",
]


def page_texts(path: Path, *options: str) -> list[str]:
    """Each page's text, whitespace removed (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


@pytest.fixture(params=["parts", "whole"])
def pdfs(request, settings, tmp_path, monkeypatch):
    """The 2005 report of the demo communities built as the worker builds it: with every chapter and
    every 6 communities of the appendix in a document of its own ("parts"), or as it comes, small enough
    for one document ("whole"); and the same HTML laid out at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SUBDISTRICT_NAME = "龙潭街道"
    communities_demo.load(stdout=io.StringIO(), password="demo-pass-123")
    jiedao_demo.load(stdout=io.StringIO(), password="demo-pass-123")
    if request.param == "parts":
        monkeypatch.setattr(reports, "DOCUMENT_SIZE", 1)
        monkeypatch.setattr(reports, "_cut", lambda chapter: [chapter])  # cut chapters: the test below
        monkeypatch.setattr(reports, "APPENDIX_RUN", 6)
    joined, whole = tmp_path / "joined.pdf", tmp_path / "whole.pdf"
    with override(settings.LANGUAGE_CODE):
        laid_out = []
        for name in ("render_pdf_document", "render_pdf"):
            real = getattr(reports, name)
            monkeypatch.setattr(reports, name, lambda html, real=real, **kw: laid_out.append(html) or real(html, **kw))
        joined.write_bytes(reports.annual_report_pdf(year=2005))
        whole.write_bytes(render_pdf(reports.annual_report_html(year=2005)))
    if request.param == "parts":  # 6 chapters, 4 runs of the appendix (20 communities), then the cover and contents
        assert len(laid_out) == 11
    else:  # the cover, the contents and every chapter, as annual_report_html gives them
        assert len(laid_out) == 1 and 'id="overview"' in laid_out[0] and 'class="toc"' in laid_out[0]
    return joined, whole


def test_every_page_after_the_cover_carries_the_running_title_and_its_number_of_the_total(pdfs):
    joined, _whole = pdfs
    pages = page_texts(joined)
    assert "第1页" not in pages[0] and "龙潭街道党工委·2005年度党建工作报告" not in pages[0]
    for number, text in enumerate(pages[1:], 2):
        assert text.count("龙潭街道党工委·2005年度党建工作报告") == 1, (number, text)
        assert text.count(f"第{number}页/共{len(pages)}页") == 1 and text.count("页/共") == 1, (number, text)


def test_the_contents_bookmarks_and_links_lead_to_the_page_each_chapter_starts_on(pdfs):
    joined, _whole = pdfs
    pages = page_texts(joined)
    starts = {title: int(re.search(re.escape(title) + r"\.+(\d+)", pages[1]).group(1)) for title in CHAPTERS}
    for title, number in starts.items():
        assert pages[number - 1].removeprefix("龙潭街道党工委·2005年度党建工作报告").startswith(title), title
    pdf = pikepdf.open(joined)
    with pdf.open_outline() as outline:
        (top,) = outline.root
        marks = {item.title: pdf.pages.index(pikepdf.Page(item.destination[0])) + 1 for item in top.children}
    assert {title: marks[title] for title in CHAPTERS} == starts
    # a link to a page (documents joined) or to a named destination (laid out at once)
    named = pikepdf.NameTree(pdf.Root.Names.Dests) if "/Names" in pdf.Root else {}

    def target(dest):
        dest = named[str(dest)] if isinstance(dest, pikepdf.String) else dest
        return pdf.pages.index(pikepdf.Page(dest[0])) + 1

    links = [target(a.Dest) for a in pdf.pages[1].Annots if "/Dest" in a]
    assert set(links) == set(starts.values())


def test_laid_out_in_documents_the_report_reads_as_laid_out_at_once(pdfs):
    joined, whole = pdfs

    def words(path):  # the text in the order it was laid out, without the page furniture
        text = "".join(page_texts(path, "-raw"))
        return re.sub(r"第\d+页/共\d+页|龙潭街道党工委·2005年度党建工作报告", "", text)

    assert words(joined) == words(whole)
    fonts = subprocess.run(["pdffonts", str(joined)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts and all(" yes " in line for line in fonts.splitlines()[2:]), fonts


def test_a_chapter_too_large_for_one_document_is_cut_before_a_section_and_numbered_on(settings, monkeypatch, tmp_path):
    settings.SUBDISTRICT_NAME = "龙潭街道"
    communities_demo.load(stdout=io.StringIO(), password="demo-pass-123")
    jiedao_demo.load(stdout=io.StringIO(), password="demo-pass-123")
    with override(settings.LANGUAGE_CODE):
        context = reports.annual_report_context(year=2005)
        whole = reports.report_chapters(context)
        monkeypatch.setattr(reports, "DOCUMENT_SIZE", 1)  # every section of its own
        cut = reports.report_chapters(context)
        first = next(c for c in cut if c.anchor == "team")
        last = next(c for c in cut if '<h3 id="team-elected">' in c.html)
        # the heading stays with the first section; the last run closes the chapter
        assert "<h2>一、队伍建设</h2><h3>党组织和党员队伍</h3>" in re.sub(r"\s+", "", first.html)
        assert last.anchor == "" and last.html.startswith('<section class="chapter" style="counter-reset: section 4">')
        assert len(cut) > len(whole)

        def bare(html):  # the chapters' text, without the wrappers the cut added
            return re.sub(r'</section>|<section class="chapter" style="counter-reset: section \d+">', "", html)

        assert bare("".join(c.html for c in cut)) == bare("".join(c.html for c in whole))
        pdf = render_pdf(reports.report_document(context, body=last.html, furniture=False))
    path = tmp_path / "last.pdf"
    path.write_bytes(pdf)
    assert "（五）公推直选" in "".join(page_texts(path))  # numbered on from the sections before it


def test_a_charts_data_url_does_not_count_against_a_documents_size():
    """A chart is one image to WeasyPrint however long its data: URL, not pages of boxes."""
    chart = reports.Chapter("economy", '<img src="data:image/svg+xml;base64,' + "A" * reports.DOCUMENT_SIZE + '">')
    table = reports.Chapter("economy", "<p>" + "A" * reports.DOCUMENT_SIZE + "</p>")
    outlook = reports.Chapter("outlook", "<p>问题和打算</p>")
    assert reports.documents_of([chart, outlook]) == [[chart, outlook]]
    assert reports.documents_of([table, outlook]) == [[table], [outlook]]
