"""HTML → PDF with WeasyPrint, fetching nothing but `data:` URLs and the project's own
static files (DESIGN §6). Every PDF the portal makes goes through `render_pdf` (or
`render_pdf_document`, which also gives its pages).

Static files are resolved the way `django.contrib.staticfiles` resolves them — the finders
(source folders) and the configured static storage (what `collectstatic` wrote, hashed names
of a manifest storage included) — never by guessing a path on disk. A document whose
stylesheet or image cannot be loaded is not rendered: `render_pdf` raises `PdfResourceError`,
so a report never comes out silently unstyled.
"""

import gc
import io
import logging
import mimetypes
import posixpath
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered against this base, so `{% static %}` paths resolve to it; the host is
# never contacted: the fetcher reads the file through the static finders and storage instead.
BASE_URL = "https://portal.invalid/"


class PdfResourceError(Exception):
    """The document asked for a resource (stylesheet, image) that could not be loaded."""

    def __init__(self, failures: list[str]):
        self.failures = failures
        super().__init__(
            _("The PDF was not made: it could not load %(resources)s") % {"resources": "; ".join(failures)}
        )


def _static_prefix() -> str:
    # STATIC_URL may be a path ("/static/") or a whole URL (a CDN); `{% static %}` uses it as is.
    return urljoin(BASE_URL, settings.STATIC_URL)


def static_file_bytes(name: str) -> bytes | None:
    """The content of static file `name` (as in `{% static name %}`'s output, hashed or not), or
    None when the project has no such file. Names that climb out of the static folders are None."""
    name = posixpath.normpath(unquote(name))
    if name.startswith(("/", "../")) or name in (".", ".."):
        return None
    try:
        # The source folders first: the current release's files, also before collectstatic.
        found = finders.find(name)
        if found:
            return Path(found).read_bytes()
        # What collectstatic wrote: a manifest storage's hashed names live only there.
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                return handle.read()
        # A hashed name whose collected copy is gone: back to its original through the manifest.
        hashed = getattr(staticfiles_storage, "hashed_files", None) or {}
        original = next((k for k, v in hashed.items() if v == name), None)
        found = finders.find(original) if original else None
        return Path(found).read_bytes() if found else None
    except (SuspiciousFileOperation, OSError, ValueError):
        return None


class ProjectOnlyFetcher(URLFetcher):
    """Serves `data:` URLs and the project's static files; refuses everything else (file://,
    http(s):// to any other place, or a static path that is not ours) and remembers it."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data"}, **kwargs)
        self.refused: list[str] = []  # not ours: file://, http(s)://, …
        self.missing: list[str] = []  # ours, but no such static file

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = _static_prefix()
        parts = urlsplit(url)
        bare = f"{parts.scheme}://{parts.netloc}{parts.path}"  # no query or fragment (hashed font URLs carry them)
        if bare.startswith(prefix):
            content = static_file_bytes(bare[len(prefix) :])
            if content is not None:
                mime = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, content, {"Content-Type": mime})
            self.missing.append(url)
            raise ValueError(f"no such static file {url}")
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url}")


class _LoadErrors(logging.Handler):
    """WeasyPrint logs (and otherwise ignores) resources it could not use — a refused URL, an
    image it cannot decode. Collects those of this thread's render."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record):
        if record.thread == self.thread and "Failed to" in str(record.msg):
            self.messages.append(record.getMessage())


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # each element id → the index of the page it is on


def render_pdf_document(html: str, *, fetcher: ProjectOnlyFetcher | None = None, strict: bool = True) -> RenderedPdf:
    """The PDF of `html`, with its number of pages and where its anchors fell. With `strict` (always,
    outside tests of the refusals themselves) any resource the document asked for and could not load
    raises `PdfResourceError` naming it."""
    fetcher = fetcher or ProjectOnlyFetcher()
    errors = _LoadErrors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(errors)
    # The layout allocates millions of objects in reference cycles (the boxes). Whatever lives
    # before it (every module, the caller's data) is frozen meanwhile, so the garbage collector's
    # passes during the layout, and the one that frees the boxes after it, walk the layout's
    # objects alone: a 300-community annual report, in 9 documents, took 19.5 s and now 17.5 s.
    # The garbage waiting for a collection is freed first, or it would stay through the layout
    # (the same report peaked at 610 MB rather than 320).
    gc.collect()
    gc.freeze()
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
        anchors = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
        rendered = RenderedPdf(document.write_pdf(), len(document.pages), anchors)
        del document
        gc.collect()  # the boxes freed now, before the caller's next document
    finally:
        logger.removeHandler(errors)
        gc.unfreeze()
    if strict and (fetcher.refused or fetcher.missing or errors.messages):
        failures = errors.messages or [f"{url}: refused to fetch" for url in fetcher.refused + fetcher.missing]
        raise PdfResourceError(failures)
    return rendered


def render_pdf(html: str, *, fetcher: ProjectOnlyFetcher | None = None, strict: bool = True) -> bytes:
    """The PDF of `html` (see `render_pdf_document`)."""
    return render_pdf_document(html, fetcher=fetcher, strict=strict).pdf


# -- one PDF of several ---------------------------------------------------------------------------

# A link to PAGE_LINK + "12" in a document being joined becomes a link to page 12 of the joined PDF
# (WeasyPrint keeps a link to an anchor only when the anchor is in the same document).
PAGE_LINK = urljoin(BASE_URL, "pdf-page/")


def join_pdfs(front: bytes, documents: list[bytes], *, front_pages: int) -> bytes:
    """One PDF: the first `front_pages` pages of `front`, then the pages of `documents` one after
    another. The rest of `front`, one page for each of those (blank but for what is printed on
    every page: running title, page numbers), is laid over them. The title and language are the
    front's, every document's bookmarks go under the front's top bookmark (the report's title),
    and links to PAGE_LINK + number become links to that page."""
    joined = pikepdf.open(io.BytesIO(front))
    furniture = list(joined.pages)[front_pages:]
    del joined.pages[front_pages:]
    sources = []  # kept open until saved: the copied pages still read their streams from them
    with joined.open_outline() as outline:
        top = outline.root[0].children if len(outline.root) else outline.root
        for data in documents:
            source = pikepdf.open(io.BytesIO(data))
            sources.append(source)
            offset = len(joined.pages)
            joined.pages.extend(source.pages)
            with source.open_outline() as bookmarks:
                top.extend(_bookmark_moved(item, source, offset) for item in bookmarks.root)
    if len(furniture) != len(joined.pages) - front_pages:
        raise ValueError(f"{len(furniture)} pages of furniture for {len(joined.pages) - front_pages} pages")
    for page, over in zip(list(joined.pages)[front_pages:], furniture, strict=True):
        page.add_overlay(over)
    _resolve_page_links(joined)
    out = io.BytesIO()
    joined.save(out)
    for source in sources:
        source.close()
    return out.getvalue()


def _bookmark_moved(item: pikepdf.OutlineItem, source: pikepdf.Pdf, offset: int) -> pikepdf.OutlineItem:
    """`item` of `source` (and its children) pointing to the same place `offset` pages further on."""
    target = item.destination  # WeasyPrint writes [page /XYZ left top zoom]
    index = source.pages.index(pikepdf.Page(target[0]))
    moved = pikepdf.OutlineItem(
        item.title, offset + index, pikepdf.PageLocation.XYZ, left=target[2], top=target[3], zoom=target[4]
    )
    moved.children.extend(_bookmark_moved(child, source, offset) for child in item.children)
    return moved


def _resolve_page_links(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            if uri.startswith(PAGE_LINK):
                del annotation["/A"]
                annotation.Dest = pikepdf.Array([pdf.pages[int(uri[len(PAGE_LINK) :]) - 1].obj, pikepdf.Name.Fit])
