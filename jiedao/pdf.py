"""HTML → PDF with WeasyPrint, fetching nothing but `data:` URLs and the project's own
static files (DESIGN §6). Every PDF the portal makes goes through `render_pdf`."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered against this base, so `{% static %}` paths resolve to it; the host is
# never contacted: the fetcher reads the file from the project's static folders instead.
BASE_URL = "https://portal.invalid/"


class ProjectOnlyFetcher(URLFetcher):
    """Serves `data:` URLs and the project's static files; refuses everything else (file://,
    http(s):// to any other place, or a static path that is not ours) and remembers it."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data", "https"}, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static_prefix = urlsplit(BASE_URL).path + settings.STATIC_URL.lstrip("/")
        if f"{parts.scheme}://{parts.netloc}/" == BASE_URL and parts.path.startswith(static_prefix):
            found = finders.find(unquote(parts.path[len(static_prefix) :]))
            if found:
                mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url}")


def render_pdf(html: str, *, fetcher: ProjectOnlyFetcher | None = None) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or ProjectOnlyFetcher()).write_pdf()
