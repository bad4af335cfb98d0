"""Widgets: Chinese formats in, Chinese errors out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, widgets

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
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
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


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label. `labels` maps each stored value to the label used in files;
    the stored value itself and the UI's label are accepted on import too."""

    def __init__(self, labels: dict[str, str], choices=None, required=True):
        super().__init__()
        self.labels = labels
        self.by_label = {label: value for value, label in labels.items()}
        self.choices = choices
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            if self.required:
                raise CellError(_("This column is required."))
            return ""
        text = force_str(value).strip()
        if text in self.by_label:
            return self.by_label[text]
        if text in self.labels:
            return text
        for stored, label in self.choices or ():
            if text == force_str(label):
                return stored
        raise CellError(
            _("“%(value)s” is not allowed; use one of: %(allowed)s.")
            % {"value": value, "allowed": "、".join(self.labels.values())}
        )

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


class Field(fields.Field):
    """`Field(attribute, column_name, widget)`: a cell error names the column it came from."""

    def __init__(self, attribute, column_name, widget=None, **kwargs):
        super().__init__(attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs)

    def clean(self, row, **kwargs):
        try:
            return super().clean(row, **kwargs)
        except CellError:
            raise
        except (ValueError, TypeError, InvalidOperation) as error:
            raise CellError(str(error)) from error
