import gc
import re
import subprocess

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from jiedao.pdf import PdfResourceError, ProjectOnlyFetcher, render_pdf, static_file_bytes

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_pdf_fetches_only_data_and_own_static_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    html = f"""<html><head><link rel="stylesheet" href="/static/css/portal.css"></head><body>
      <img src="file://{secret}"><img src="http://127.0.0.1:9/x.png"><img src="https://example.invalid/y.png">
      <img src="data:image/png;base64,{PIXEL}">
      <p>党建工作平台</p></body></html>"""
    with pytest.raises(PdfResourceError):  # as every PDF of the portal is made
        render_pdf(html)
    fetcher = ProjectOnlyFetcher()
    pdf = render_pdf(html, fetcher=fetcher, strict=False)  # to look at what was refused and what came out
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == sorted(
        [f"file://{secret}", "http://127.0.0.1:9/x.png", "https://example.invalid/y.png"]
    )
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "党建工作平台" in text
    assert "CJK" in fonts and " yes " in fonts  # Noto CJK, embedded


def _report_like(href: str) -> str:
    return f"""<html><head><link rel="stylesheet" href="{href}"></head>
      <body><h1>年度报告 Annual report 2005</h1></body></html>"""


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ],
)
def test_the_stylesheet_is_found_under_a_manifest_storage(backend, settings, tmp_path):
    """As deployed: collectstatic with hashed names, and the template's `{% static %}` URL names
    the hashed copy; the fetcher reads it through the storage and the PDF is styled."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    call_command("collectstatic", "--no-input", verbosity=0)
    href = Template("{% load static %}{% static 'css/report.css' %}").render(Context())
    assert re.fullmatch(r"/static/css/report\.[0-9a-f]{12}\.css", href)  # the hashed name
    fetcher = ProjectOnlyFetcher()
    pdf = render_pdf(_report_like(href), fetcher=fetcher)
    assert fetcher.refused == fetcher.missing == []
    out = tmp_path / "r.pdf"
    out.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert names and all(n.startswith("Noto-Sans-CJK-SC") for n in names), names  # report.css's font only


def test_the_hashed_name_resolves_to_its_source_when_the_collected_copy_is_gone(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    hashed = staticfiles_storage.stored_name("css/report.css")
    (settings.STATIC_ROOT / hashed).unlink()
    assert static_file_bytes(hashed) == (settings.BASE_DIR / "static/css/report.css").read_bytes()


def test_a_missing_stylesheet_fails_the_render_naming_it():
    with pytest.raises(PdfResourceError) as failed, translation.override("zh-hans"):
        render_pdf(_report_like("/static/css/no-such-file.css"))
    assert "https://portal.invalid/static/css/no-such-file.css" in str(failed.value)
    assert "PDF 未生成" in str(failed.value)  # in Chinese, for the report's page


@pytest.mark.parametrize(
    "href",
    [
        "/static/../jiedao/settings.py",
        "/static/%2e%2e/%2e%2e/jiedao/settings.py",
        "/static/%2Fetc%2Fpasswd",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.invalid/static/css/report.css",
    ],
)
def test_nothing_outside_the_static_files_is_read(href):
    fetcher = ProjectOnlyFetcher()
    with pytest.raises(PdfResourceError):
        render_pdf(_report_like(href), fetcher=fetcher)
    assert len(fetcher.refused + fetcher.missing) == 1


def test_an_image_that_cannot_be_decoded_fails_the_render():
    html = '<html><body><img src="data:image/png;base64,bm90IGFuIGltYWdl"></body></html>'
    with pytest.raises(PdfResourceError) as failed:
        render_pdf(html)
    assert "Failed to load image" in str(failed.value)


def test_static_files_behind_a_whole_static_url_are_read_locally_too(settings, tmp_path):
    """STATIC_URL may name another host (a CDN): `{% static %}` then gives a whole URL, and the
    fetcher still reads the file through the staticfiles storage — nothing is fetched over the network."""
    settings.STATIC_URL = "https://cdn.example.gov.cn/static/"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    href = Template("{% load static %}{% static 'css/report.css' %}").render(Context())
    assert href.startswith("https://cdn.example.gov.cn/static/css/report.")
    fetcher = ProjectOnlyFetcher()
    assert render_pdf(_report_like(href), fetcher=fetcher).startswith(b"%PDF")
    assert fetcher.refused == fetcher.missing == []
    with pytest.raises(PdfResourceError):  # another path on that host is still not ours
        render_pdf(_report_like("https://cdn.example.gov.cn/other/report.css"))


def test_a_render_leaves_nothing_frozen_and_frees_its_boxes():
    """render_pdf freezes the heap during the layout (issue 16): a long-lived worker's heap must
    be collectable again after every render, a failed one included."""
    gc.collect()
    assert gc.get_freeze_count() == 0
    with pytest.raises(PdfResourceError):
        render_pdf(_report_like("/static/css/no-such-file.css"))
    assert gc.get_freeze_count() == 0
    assert render_pdf("".join(f"<p>第{n}段</p>" for n in range(300))).startswith(b"%PDF")
    assert gc.get_freeze_count() == 0
    assert gc.collect() < 1000  # the laid-out boxes were freed by the render, not left to the next pass
