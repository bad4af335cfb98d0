"""Spreadsheet imports refuse files beyond IMPORT_MAX_ROWS / IMPORT_MAX_COLUMNS without reading
them whole: an XLSX declaring cells up to XFD12000 in 1.6 kB once drove a worker to 1.6 GB."""

import csv
import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao import imports
from jiedao.models import SubDistrictYear
from jiedao.resources import SubDistrictYearResource

pytestmark = pytest.mark.django_db

HEADER = ["年度", "财政收入(万元)", "来信来访(件)", "集体上访(起)", "农民人均纯收入(元)"]
ROW = [2005, "1200.5", 30, 1, "5200"]


def resource(staff):
    return SubDistrictYearResource(actor=staff)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def declared_bomb() -> bytes:
    """A header and one row, declaring its used range as A1:XFD12000 (196 million cells)."""
    data = xlsx_bytes([HEADER, ROW])
    return rewrite_sheet(
        data, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD12000"/>', xml)
    )


def stored_bomb() -> bytes:
    """The same size of sheet stored instead of declared: a small declared range (the declaration
    lies) and a last row 12000 with a value in column XFD."""
    data = xlsx_bytes([HEADER, ROW])
    last = '<row r="12000"><c r="XFD12000" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewrite_sheet(data, lambda xml: xml.replace("</sheetData>", last + "</sheetData>"))


def upload(data: bytes, name="data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("bomb", [declared_bomb, stored_bomb])
def test_xlsx_bomb_is_refused_fast_and_small(bomb, staff):
    data = bomb()
    assert len(data) < 8000
    started = time.perf_counter()
    outcome = imports.run_import(resource(staff), upload(data))
    elapsed = time.perf_counter() - started
    assert not outcome.ok
    assert elapsed < 1.0, elapsed
    tracemalloc.start()
    try:
        imports.run_import(resource(staff), upload(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, peak
    assert outcome.problems[0].message == "文件超过 50 列，请删除多余的列后再导入。"
    assert not SubDistrictYear.objects.exists()


def test_declared_rows_beyond_the_limit_are_refused(staff):
    data = rewrite_sheet(
        xlsx_bytes([HEADER, ROW]),
        lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:E1048576"/>', xml),
    )
    outcome = imports.run_import(resource(staff), upload(data))
    assert not outcome.ok and outcome.problems[0].message == "文件超过 20000 行，请拆分为多个文件后再导入。"


def test_wide_formatted_rows_are_bounded(staff, settings):
    """Every stored row carries a blank cell at column XFD: read row by row, each bounded."""
    settings.IMPORT_MAX_ROWS = 2000
    rows = [HEADER] + [[2000 + i % 20, "1", 1, 0, "1"] for i in range(1500)]
    data = xlsx_bytes(rows)

    def widen(xml: str) -> str:
        return re.sub(r"</row>", lambda m: '<c r="XFD1" s="0"/></row>', xml)

    data = rewrite_sheet(data, widen)
    started = time.perf_counter()
    tracemalloc.start()
    try:
        outcome = imports.run_import(resource(staff), upload(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10
    assert peak < 100 * 1024 * 1024, peak
    assert not outcome.ok and "50" in outcome.problems[0].message and "列" in outcome.problems[0].message
    assert not SubDistrictYear.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows_are_refused_with_the_limit_named(kind, staff, settings):
    settings.IMPORT_MAX_ROWS = 20
    rows = [HEADER] + [[1950 + i, "1", 1, 0, "1"] for i in range(21)]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    outcome = imports.run_import(resource(staff), upload(data, f"data.{kind}"))
    assert not outcome.ok
    assert outcome.problems[0].message == "文件超过 20 行，请拆分为多个文件后再导入。"
    assert not SubDistrictYear.objects.exists()
    # exactly at the limit is accepted
    outcome = imports.run_import(resource(staff), upload(csv_bytes(rows[:21]), "data.csv"))
    assert outcome.ok and SubDistrictYear.objects.count() == 20


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_columns_are_refused(kind, staff, settings):
    settings.IMPORT_MAX_COLUMNS = 8
    rows = [HEADER + [""] * 3 + ["多余"], ROW + [""] * 4]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    outcome = imports.run_import(resource(staff), upload(data, f"data.{kind}"))
    assert not outcome.ok
    assert outcome.problems[0].message == "文件超过 8 列，请删除多余的列后再导入。"
    assert not SubDistrictYear.objects.exists()
    # blank cells beyond the limit (a formatted sheet) are dropped, not refused
    rows = [HEADER + [""] * 6, ROW + [None] * 6]
    outcome = imports.run_import(resource(staff), upload(csv_bytes(rows), "data.csv"))
    assert outcome.ok, outcome.problems


def test_large_csv_is_refused_while_reading(staff, settings):
    """300,000 short rows (the file that ended in a 500 after 31 s) stop at the limit."""
    rows = [HEADER] + [[2005, "1", 1, 0, "1"]] * 300_000
    data = csv_bytes(rows)
    assert len(data) < settings.IMPORT_MAX_BYTES
    started = time.perf_counter()
    outcome = imports.run_import(resource(staff), upload(data, "data.csv"))
    assert time.perf_counter() - started < 5
    assert not outcome.ok and "20000" in outcome.problems[0].message
