"""Reading an uploaded CSV or XLSX file into a dataset, the columns checked."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from ..uploads import check_archive
from .cells import _is_blank, unescape_cell
from .resources import PortalResource


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


_BRACKETED = re.compile(r"\s+[（(].*[)）]\s*$")


def _normalise_header(value) -> str:
    text = force_str(value if value is not None else "").replace("\ufeff", "").strip()
    return text


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(rows)d rows; split it into several files.") % {"rows": settings.IMPORT_MAX_ROWS}
    )


def _too_many_columns() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(columns)d columns; remove the extra columns.")
        % {"columns": settings.IMPORT_MAX_COLUMNS}
    )


def _bounded(rows: Iterable) -> list[tuple[int, list]]:
    """Number the rows while reading them and stop at the first one past the limits, so a file
    declaring (or holding) millions of cells is refused before it is read whole. Every row counts,
    the header and blank ones included; cells past the column limit must be blank."""
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    # blank cells beyond the column limit (formatting) are read and dropped, but only so many
    cell_budget = (max_rows + 1) * max_columns * 4
    result = []
    for number, row in enumerate(rows, start=1):
        if number > max_rows + 1:
            raise _too_many_rows()
        if len(row) > max_columns:
            cell_budget -= len(row)
            overflow = row[max_columns:]
            if cell_budget < 0 or (overflow.count(None) != len(overflow) and not all(map(_is_blank, overflow))):
                raise _too_many_columns()
            row = row[:max_columns]
        result.append((number, list(row)))
    return result


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
        return _bounded(reader)
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _rows_from_xlsx(data: bytes) -> list[tuple[int, list]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same answer
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
    try:
        sheet = book.worksheets[0]
        # A sheet declaring more than the limits (<dimension ref="A1:XFD12000"/>) is refused at once.
        if (sheet.max_row or 0) > settings.IMPORT_MAX_ROWS + 1:
            raise _too_many_rows()
        if (sheet.max_column or 0) > settings.IMPORT_MAX_COLUMNS:
            raise _too_many_columns()
        # Otherwise the declaration is the file's word, not its content: read-only sheets pad every
        # row to it, so forget it and count the rows as they are stored.
        sheet.reset_dimensions()
        return _bounded(sheet.iter_rows(values_only=True))
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a sheet that breaks while streaming is unreadable too
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
    finally:
        book.close()


def read_dataset(uploaded, resource: PortalResource) -> tuple[tablib.Dataset, list[int]]:
    """The file as a Dataset with the resource's own headers, and each data row's line number.
    Raises ImportFileError for a file that is too big, of the wrong type, or with bad headers."""
    limit = settings.IMPORT_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": limit // (1024 * 1024)})
    data = uploaded.read()
    name = (getattr(uploaded, "name", "") or "").lower()
    if data[:4] == b"PK\x03\x04":
        try:  # openpyxl holds the shared strings in memory: bound what the zip inflates to first
            check_archive(io.BytesIO(data))
        except ValidationError as error:
            raise ImportFileError(error.messages[0]) from None
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
        # only text that starts with a quote can be escaped: skip the call for the rest
        cells = [unescape_cell(c) if c.__class__ is not str or c[:1] == "'" else c for c in row[:width]]
        cells += [None] * (width - len(cells))
        dataset.append(cells)
        lines.append(number)
    return dataset, lines
