"""Safety of the report: user text is escaped, and nothing outside data: and our own static
files is fetched, whatever the HTML carries."""

from decimal import Decimal
from pathlib import Path

import pytest

from jiedao.models import SubDistrictYear
from jiedao.pdf import PdfResourceError, ProjectOnlyFetcher, render_pdf
from jiedao.reporting.annual import annual_report_html
from tests.communities.factories import CadreFactory, CommunityFactory, CommunityYearFactory
from tests.jiedao.report_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    community = CommunityFactory(
        name='<img src="file:///etc/passwd">社区',
        party_org_name='<link rel="stylesheet" href="http://127.0.0.1:9/x.css">党委',
    )
    CadreFactory(community=community, name='<script>alert("x")</script>', directly_elected=True)
    CommunityYearFactory(community=community, year=2005, collective_income=Decimal("12.00"))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1, letters_visits=1, per_capita_income=1)
    return secret


def test_user_text_is_escaped_in_the_report(hostile):
    html = annual_report_html(year=2005)
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;社区" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<link rel="stylesheet" href="http://127.0.0.1:9' not in html


def test_the_report_fetches_only_its_own_stylesheet_and_data_urls(hostile, tmp_path):
    fetcher = ProjectOnlyFetcher()
    pdf = render_pdf(annual_report_html(year=2005), fetcher=fetcher)
    assert fetcher.refused == []  # it asked for nothing else: the escaped text stays text
    out = tmp_path / "r.pdf"
    out.write_bytes(pdf)
    text = pdf_text(out)
    assert '<imgsrc="file:///etc/passwd">社区' in text  # shown as the text it is
    assert "root:x:0:0" not in text


def test_report_html_carrying_file_and_http_references_fetches_nothing(hostile, tmp_path):
    html = annual_report_html(year=2005).replace(
        "</body>",
        f'<img src="file://{hostile}"><img src="http://127.0.0.1:9/pixel.png">'
        '<link rel="stylesheet" href="https://example.invalid/evil.css">'
        f'<iframe src="file://{hostile}"></iframe><object data="file://{hostile}"></object></body>',
    )
    with pytest.raises(PdfResourceError):  # a build asking for them fails
        render_pdf(html)
    fetcher = ProjectOnlyFetcher()
    out = tmp_path / "r.pdf"
    out.write_bytes(render_pdf(html, fetcher=fetcher, strict=False))  # and this is what they would have got
    assert f"file://{hostile}" in fetcher.refused and "http://127.0.0.1:9/pixel.png" in fetcher.refused
    assert "TOP-SECRET" not in pdf_text(out)
    assert Path(hostile).read_text() == "TOP-SECRET"
