"""Spreadsheet exports (XLSX and CSV): the one formula escape and the one response builder.

Every cell a user typed could start a formula (`=HYPERLINK(...)`, `+cmd|...`); each export goes
through `escape_cell`, which puts a leading single quote before such text. `unescape_cell` is its
exact inverse, for files read back in (imports of an earlier export).
"""

import re
from io import BytesIO
from urllib.parse import quote

import tablib
from django.http import HttpResponse

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

# A line feed is escaped too: XLSX (being XML) turns a leading carriage return into one. A cell
# that already starts with quotes gets one more, so reading it back gives the text unchanged.
_DANGEROUS = re.compile(r"^(?:'|[=+\-@\t\r\n])")
_ESCAPED = re.compile(r"^'(?:'|[=+\-@\t\r\n])")


def escape_cell(value):
    """A cell as it is written to a file: text that a spreadsheet could run as a formula (or that
    already starts with a quote) gets a leading single quote. Other values are returned unchanged."""
    if isinstance(value, str) and _DANGEROUS.match(value):
        return "'" + value
    return value


def unescape_cell(value):
    """The exact inverse of `escape_cell` for cells read from a file."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def dataset_bytes(dataset: tablib.Dataset, fmt: str = "xlsx") -> bytes:
    """Escape every cell, then write (bypassing tablib's lossy '=' stripping). CSV is UTF-8 with a
    BOM so that spreadsheet programs read the Chinese."""
    safe = tablib.Dataset(headers=[escape_cell(h) for h in dataset.headers or []], title=dataset.title)
    for row in dataset:
        safe.append([escape_cell(cell) for cell in row])
    if fmt == "xlsx":
        return safe.export("xlsx", escape=False)
    if fmt == "csv":
        return ("\ufeff" + safe.export("csv")).encode("utf-8")
    raise ValueError(fmt)


def workbook_bytes(workbook) -> bytes:
    """An openpyxl workbook (several sheets, built by the caller) with every text cell escaped."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = escape_cell(cell.value)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    kind = "attachment" if as_attachment else "inline"
    return f"{kind}; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"


def bytes_response(data: bytes, *, filename: str, fmt: str = "xlsx") -> HttpResponse:
    """A finished spreadsheet file as a download; `filename` is without its extension."""
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{filename}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def dataset_response(dataset: tablib.Dataset, *, filename: str, fmt: str = "xlsx") -> HttpResponse:
    return bytes_response(dataset_bytes(dataset, fmt), filename=filename, fmt=fmt)


def spreadsheet_response(headers, rows, *, filename: str, fmt: str = "xlsx", title: str = "") -> HttpResponse:
    """Headers and rows as an XLSX or CSV download, every cell escaped."""
    dataset = tablib.Dataset(headers=[str(h) for h in headers], title=str(title)[:31])
    for row in rows:
        dataset.append(list(row))
    return dataset_response(dataset, filename=filename, fmt=fmt)
