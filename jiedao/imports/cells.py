"""Cells: the formula escape (jiedao.spreadsheets holds the only copy) and the cell error."""

from __future__ import annotations

from jiedao.spreadsheets import FORMATS, escape_cell, unescape_cell

__all__ = ["FORMATS", "CellError", "escape_cell", "unescape_cell"]


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user beside the column."""


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip(" \u3000") == "")
