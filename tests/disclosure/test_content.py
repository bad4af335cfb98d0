"""Rich text sanitising, uploads checked by content and size, and reconciliation of finance lines."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import services
from disclosure.choices import NoticeStatus
from tests.disclosure.factories import draft, finance_item, finance_lines

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)">点我</p>',
    '<a href="javascript:alert(1)">链接</a>',
    '<a href="JaVaScRiPt:alert(1)">链接</a>',
    '<a href="&#106;avascript:alert(1)">链接</a>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.invalid/"></iframe>',
    '<table><tr><td onmouseover="alert(1)">格</td></tr></table>',
    "<style>body{display:none}</style>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="https://evil.invalid"><input name="q"></form>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised(payload, secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a, body=f"<p>正文</p>{payload}")
    body = notice.body.lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "onload",
        "onmouseover",
        "javascript:",
        "<svg",
        "<iframe",
        "<style",
        "data:text",
        "<object",
        "<embed",
        "style=",
        "<form",
        "<input",
    ):
        assert bad not in body, (payload, notice.body)
    assert "正文" in notice.body


def test_tables_and_safe_links_are_kept(secretary_a, community_a):
    html = (
        '<table><thead><tr><th scope="col">户主</th></tr></thead><tbody><tr><td colspan="2">王秀英</td></tr>'
        '</tbody></table><a href="https://example.gov.cn/">依据</a>'
    )
    body = draft(author=secretary_a, community=community_a, body=html).body
    assert "<table>" in body and '<th scope="col">' in body and 'colspan="2"' in body
    assert 'href="https://example.gov.cn/"' in body and 'rel="noopener noreferrer nofollow"' in body


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a90000000049454e44ae426082"
)


def test_a_real_pdf_and_image_are_accepted(secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a)
    pdf = services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("明细.pdf", PDF))
    png = services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("现场.png", PNG))
    assert (pdf.content_type, pdf.name, pdf.size) == ("application/pdf", "明细.pdf", len(PDF))
    assert png.content_type == "image/png"
    assert pdf.file.read() == PDF


@pytest.mark.parametrize(
    "name,content",
    [
        ("公告.pdf", b"<html><script>alert(1)</script></html>"),  # HTML disguised as PDF
        ("照片.jpg", PDF),  # a PDF named .jpg
        ("表格.xlsx", b"PK\x03\x04not really a workbook"),
        ("页面.html", b"<html></html>"),
        ("脚本.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_disguised_uploads_are_rejected(name, content, secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile(name, content))
    assert not notice.attachments.exists()


def test_oversized_upload_is_rejected(secretary_a, community_a, settings):
    settings.DISCLOSURE_MAX_ATTACHMENT_BYTES = 1024
    notice = draft(author=secretary_a, community=community_a)
    big = PDF + b"0" * 2048
    with pytest.raises(ValidationError) as info:
        services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("大.pdf", big))
    assert info.value.code == "too_large"
    assert not notice.attachments.exists()


def test_no_attachment_once_submitted(secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a)
    services.notice_submit(actor=secretary_a, notice=notice)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("a.pdf", PDF))


def _finance_draft(secretary, community, **totals):
    values = {
        "opening_balance": "1000.00",
        "income_total": "800.00",
        "expense_total": "300.00",
        "closing_balance": "1500.00",
    } | totals
    return draft(
        author=secretary,
        community=community,
        item=finance_item(),
        period_start=date(2005, 10, 1),
        **{k: Decimal(v) for k, v in values.items()},
    )


def test_reconciled_finance_notice_can_be_submitted(secretary_a, community_a):
    notice = _finance_draft(secretary_a, community_a)
    services.finance_lines_replace(
        actor=secretary_a,
        notice=notice,
        lines=finance_lines(
            ("income", "集体资产租赁收入", "500.00"),
            ("income", "上级补助", "300.00"),
            ("expense", "办公经费", "300.00"),
        ),
    )
    assert services.finance_problems(notice) == []
    services.notice_submit(actor=secretary_a, notice=notice)
    assert notice.status == NoticeStatus.CHECKING  # a community's 财务: to its 居务监督委员会


@pytest.mark.parametrize(
    "totals,lines,expect",
    [
        ({}, [("income", "租赁", "500.00"), ("expense", "办公", "300.00")], "income lines add up to 500.00"),
        ({}, [("income", "租赁", "800.00"), ("expense", "办公", "299.99")], "expense lines add up to 299.99"),
        (
            {"closing_balance": "1600.00"},
            [("income", "租赁", "800.00"), ("expense", "办公", "300.00")],
            "is 1500.00 yuan, but the closing balance is 1600.00",
        ),
    ],
)
def test_unreconciled_finance_notice_is_refused(totals, lines, expect, secretary_a, community_a, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    notice = _finance_draft(secretary_a, community_a, **totals)
    services.finance_lines_replace(actor=secretary_a, notice=notice, lines=finance_lines(*lines))
    with translation.override("en"), pytest.raises(ValidationError) as info:
        services.notice_submit(actor=secretary_a, notice=notice)
    assert any(expect in m for m in info.value.messages), info.value.messages
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_finance_notice_without_totals_is_refused(secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a, item=finance_item(), period_start=date(2005, 10, 1))
    with pytest.raises(ValidationError):
        services.notice_submit(actor=secretary_a, notice=notice)


def test_a_real_xlsx_is_accepted(secretary_a, community_a):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["项目", "金额"])
    buffer = io.BytesIO()
    book.save(buffer)
    notice = draft(author=secretary_a, community=community_a)
    attachment = services.attachment_add(
        actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("收支明细.xlsx", buffer.getvalue())
    )
    assert attachment.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def published_statement(secretary_a, supervisor_a, community_a):
    notice = _finance_draft(secretary_a, community_a)
    services.finance_lines_replace(
        actor=secretary_a,
        notice=notice,
        lines=finance_lines(("income", "集体资产租赁收入", "800.00"), ("expense", "办公经费", "300.00")),
    )
    services.notice_submit(actor=secretary_a, notice=notice)
    services.notice_committee_check(actor=supervisor_a, notice=notice)  # the 监委会, not staff
    return services.notice_publish(actor=secretary_a, notice=notice)


def _corrected_figures(expense="350.00", closing="1450.00"):
    return services.FinanceData(
        opening_balance=Decimal("1000.00"),
        income_total=Decimal("800.00"),
        expense_total=Decimal(expense),
        closing_balance=Decimal(closing),
        lines=finance_lines(("income", "集体资产租赁收入", "800.00"), ("expense", "办公经费", expense)),
    )


def test_a_statement_correction_keeps_the_published_figures(published_statement, staff, client):
    notice = published_statement
    services.notice_correct(
        actor=staff,
        notice=notice,
        title=notice.title,
        body=notice.body,
        reason="办公经费少记50元",
        finance=_corrected_figures(),
    )
    notice.refresh_from_db()
    assert (notice.revision, notice.expense_total, notice.closing_balance) == (2, Decimal("350.00"), Decimal("1450.00"))
    first, second = notice.revisions.order_by("number")
    assert first.finance["closing_balance"] == "1500.00" and first.finance["lines"][0] == {
        "kind": "expense",
        "item": "办公经费",
        "amount": "300.00",
        "note": "",
    }
    assert second.finance["closing_balance"] == "1450.00"
    from django.urls import reverse

    page = client.get(reverse("gongkai:notice", args=[notice.board.slug, notice.pk])).content.decode()
    assert "已更正" in page and "办公经费少记50元" in page
    assert "1,500元" in page and "1,450元" in page  # the old figures in the history, the new ones in the table


def test_an_unreconciled_statement_correction_changes_nothing(published_statement, staff):
    notice = published_statement
    with pytest.raises(ValidationError):
        services.notice_correct(
            actor=staff,
            notice=notice,
            title=notice.title,
            body=notice.body,
            reason="改",
            finance=_corrected_figures(closing="1500.00"),
        )
    notice.refresh_from_db()
    assert notice.revision == 1 and notice.closing_balance == Decimal("1500.00")
    assert sorted(notice.finance_lines.values_list("amount", flat=True)) == [Decimal("300.00"), Decimal("800.00")]


def test_the_correction_page_corrects_a_statement(published_statement, staff, client):
    from django.urls import reverse

    notice = published_statement
    client.force_login(staff)
    url = reverse("disclosure:notice_correct", args=[notice.pk])
    assert 'name="closing_balance"' in client.get(url).content.decode()
    data = {
        "title": notice.title,
        "body": notice.body,
        "reason": "办公经费少记",
        "opening_balance": "1000.00",
        "income_total": "800.00",
        "expense_total": "350.00",
        "closing_balance": "1450.00",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-kind": "income",
        "form-0-item": "集体资产租赁收入",
        "form-0-amount": "800.00",
        "form-1-kind": "expense",
        "form-1-item": "办公经费",
        "form-1-amount": "350.00",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.revision == 2 and notice.closing_balance == Decimal("1450.00")
    bad = client.post(url, data | {"closing_balance": "9999.00", "reason": "再改"})
    assert bad.status_code == 200 and "期末余额" in bad.content.decode()
    notice.refresh_from_db()
    assert notice.revision == 2
