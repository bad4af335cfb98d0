"""Reading an uploaded CSV or XLSX file into a dataset, the columns checked."""

from __future__ import annotations

import csv
import io
import re

import tablib
from django.conf import settings
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from .cells import _is_blank, unescape_cell
from .resources import PortalResource


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


_BRACKETED = re.compile(r"\s+[（(].*[)）]\s*$")


def _normalise_header(value) -> str:
    text = force_str(value if value is not None else "").replace("\ufeff", "").strip()
    return text


def _rows_from_csv(data: bytes) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is not text in UTF-8 or GB18030."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _rows_from_xlsx(data: bytes) -> list[tuple[int, list]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same answer
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
    sheet = book.worksheets[0]
    rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return rows


def read_dataset(uploaded, resource: PortalResource) -> tuple[tablib.Dataset, list[int]]:
    """The file as a Dataset with the resource's own headers, and each data row's line number.
    Raises ImportFileError for a file that is too big, of the wrong type, or with bad headers."""
    limit = settings.IMPORT_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": limit // (1024 * 1024)})
    data = uploaded.read()
    name = (getattr(uploaded, "name", "") or "").lower()
    if data[:4] == b"PK\x03\x04":
        rows = _rows_from_xlsx(data)
    elif name.endswith(".xlsx") or b"\x00" in data[:4096]:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    else:
        rows = _rows_from_csv(data)
    rows = [(n, row) for n, row in rows if any(not _is_blank(cell) for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))

    known = resource.columns()
    header_line, raw_headers = rows[0]
    headers = []
    for cell in raw_headers:
        text = _normalise_header(cell)
        if text not in known:
            text = _BRACKETED.sub("", text)
        headers.append(text)
    while headers and headers[-1] == "":
        headers.pop()
    unknown = [h for h in headers if h not in known]
    missing = [h for h in known if h not in headers and h not in resource.optional_columns]
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": "、".join(u or "（空）" for u in unknown)})
    if duplicated:
        problems.append(_("Repeated columns: %(columns)s.") % {"columns": "、".join(duplicated)})
    if problems:
        problems.append(_("Expected columns: %(columns)s.") % {"columns": "、".join(known)})
        raise ImportFileError(" ".join(problems))

    dataset = tablib.Dataset(headers=headers)
    lines = []
    width = len(headers)
    for number, row in rows[1:]:
        cells = [unescape_cell(cell) for cell in row[:width]]
        cells += [None] * (width - len(cells))
        dataset.append(cells)
        lines.append(number)
    return dataset, lines
