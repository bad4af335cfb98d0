"""Widgets: Chinese formats in, Chinese errors out."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export import fields, widgets

from jiedao.dates import parse_date_text

from .cells import CellError, _is_blank


class TextWidget(widgets.CharWidget):
    """Text. Surrounding spaces are dropped (as forms do); numbers typed into Excel are read as
    their digits (12345.0 → "12345")."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return force_str(value).strip(" \u3000")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        try:
            number = Decimal(force_str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**15:
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DecimalWidget(widgets.Widget):
    """Numbers with a decimal point, written without thousands separators (450.14)."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, float):
            value = repr(value)  # the shortest text that reads back as the same float
        try:
            number = Decimal(force_str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not number.is_finite():
            raise CellError(_("“%(value)s” is not a number.") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.Widget):
    """Dates as YYYY-MM-DD (an Excel date cell is accepted too)."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = force_str(value).strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text)  # the usual case, and much faster than strptime
            except ValueError:
                pass
        parsed = parse_date_text(text)  # 2026/11/30, 2026.11.30, 2026年11月30日: as the forms read them
        if parsed is not None:
            return parsed
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").date()
        except ValueError:
            pass
        raise CellError(_("“%(value)s” is not a date; write dates as YYYY-MM-DD.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%Y-%m-%d") if value else ""


class YesNoWidget(widgets.Widget):
    """Booleans as 是/否; a blank cell is 否."""

    YES, NO = "是", "否"
    TRUE = {"是", "Y", "YES", "TRUE", "1"}
    FALSE = {"否", "N", "NO", "FALSE", "0"}

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = force_str(value).strip().upper()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise CellError(_("“%(value)s” must be 是 or 否.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return self.YES if value else self.NO


# The words people write in spreadsheets for the labels the files use. A synonym counts only for a
# widget that has its label, so "正式党员" means 正式 in a member file and nothing elsewhere.
COMMON_SYNONYMS = {
    "正式党员": "正式",
    "预备党员": "预备",
    "男性": "男",
    "女性": "女",
    "本科": "大学本科",
    "大学": "大学本科",
    "专科": "大专",
    "大学专科": "大专",
    "高中": "高中/中专",
    "中专": "高中/中专",
    "高中或中专": "高中/中专",
    "职高": "高中/中专",
    "技校": "高中/中专",
    "初中": "初中及以下",
    "小学": "初中及以下",
    "硕士": "研究生",
    "博士": "研究生",
    "硕士研究生": "研究生",
    "博士研究生": "研究生",
    "城市": "城市社区",
    "城镇社区": "城市社区",
    "村改居社区": "村改居",
    "补助": "街道补助",
    "街道补贴": "街道补助",
    "自筹": "社区自筹",
    "以奖代补": "以奖代补奖励",
    "硬件建设": "硬件",
    "软件建设": "软件",
}


def _normalised(text: str) -> str:
    """Full-width letters and digits, spaces anywhere and letter case do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label. `labels` maps each stored value to the label used in files;
    the stored value itself, the UI's label and the common synonyms of a label (COMMON_SYNONYMS,
    plus this widget's own `synonyms`) are accepted on import too."""

    def __init__(self, labels: dict[str, str], choices=None, required=True, synonyms: dict[str, str] | None = None):
        super().__init__()
        self.labels = labels
        self.choices = choices
        self.required = required
        self.synonyms = synonyms or {}

    @cached_property
    def accepted(self) -> dict[str, str]:
        """Every accepted spelling, normalised → the stored value (built on first use: the UI's
        labels are translated then)."""
        by_label = {label: value for value, label in self.labels.items()}
        accepted = {value: value for value in self.labels}
        accepted.update({force_str(label): stored for stored, label in self.choices or ()})
        for word, label in {**COMMON_SYNONYMS, **self.synonyms}.items():
            if label in by_label:
                accepted[word] = by_label[label]
        accepted.update(by_label)
        return {_normalised(word): stored for word, stored in accepted.items()}

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            if self.required:
                raise CellError(_("This column is required."))
            return ""
        stored = self.accepted.get(_normalised(force_str(value)))
        if stored is not None:
            return stored
        allowed = "、".join(self.labels.values())
        message = _("“%(value)s” is not allowed; use one of: %(allowed)s.")
        raise CellError(message % {"value": value, "allowed": allowed})

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class NaturalKeyWidget(widgets.Widget):
    """A foreign key by natural key: any of `lookups` (e.g. "code", "name") may identify the
    row; the export writes `lookups[-1]`. The referenced table is read once per import."""

    def __init__(self, model, *lookups: str, label=None):
        super().__init__()
        self.model = model
        self.lookups = lookups
        self.label = label or model._meta.verbose_name
        self._index = None

    def get_queryset(self):
        return self.model._default_manager.all()

    def _lookup(self, key: str):
        if self._index is None:
            self._index = {}
            for obj in self.get_queryset():
                for lookup in reversed(self.lookups):  # the first lookup wins a clash
                    self._index[force_str(getattr(obj, lookup))] = obj
        return self._index.get(key)

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            raise CellError(_("This column is required."))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = force_str(value).strip(" \u3000")
        obj = self._lookup(key)
        if obj is None:
            message = _("No %(label)s “%(value)s” (write its code or name).")
            raise CellError(message % {"label": self.label, "value": key})
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(getattr(value, self.lookups[-1]))


# What a widget may raise for a cell it cannot read: reported on the cell, with its message.
CELL_ERRORS = (ValueError, TypeError, InvalidOperation)


class Field(fields.Field):
    """`Field(attribute, column_name, widget)`: a cell error names the column it came from."""

    def __init__(self, attribute, column_name, widget=None, **kwargs):
        super().__init__(attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs)

    def clean(self, row, **kwargs):
        try:
            return super().clean(row, **kwargs)
        except CellError:
            raise
        except CELL_ERRORS as error:
            raise CellError(str(error)) from error
