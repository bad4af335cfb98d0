"""All-or-nothing spreadsheet import and safe export, on django-import-export 4 (DESIGN §5, §8, §11).

The small API every app uses:

    from jiedao import imports

    class StandardResource(imports.PortalResource):          # a resource: explicit whitelist
        site = imports.Field("site", "示范点", imports.NaturalKeyWidget(Site, "code", "name"))
        year = imports.Field("year", "年度", imports.IntegerWidget())
        ...
        class Meta:
            model = Standard
            fields = ("site", "year", ...)                     # explicit whitelist
            import_id_fields = ("site", "year")                # the natural key of a row
        def save_via_service(self, instance, is_create):      # every write through services
            standard_save(actor=self.actor, standard=instance)

    urlpatterns += imports.resource_urls("standard", StandardResource, title=_("standards"),
                                         filename="标准", back_url="showcase:standard_list",
                                         app_name="showcase")
    # -> showcase:standard_import, showcase:standard_export, showcase:standard_template
    #    (staff only by default; pass roles=..., or your own import_view/export_view/template_view)

Big files: set `Meta.use_bulk = True` and override `save_many_via_service` and `check_row`
(see PortalResource); the party-member roster does (communities/resources.py).

or, outside a view:

    outcome = imports.run_import(StandardResource(actor=user), uploaded_file)
    outcome.ok, outcome.created, outcome.updated, outcome.problems   # [RowProblem(line, column, message)]
    data = imports.export_bytes(StandardResource(actor=user), "xlsx")

Rules it enforces:
- **All or nothing.** The whole import runs in one transaction (`use_transactions` and
  `rollback_on_validation_errors=True`, as DESIGN §11 warns `clean_model_instances` alone is not
  enough). If any row is bad, nothing is written and *every* bad row is listed with its line
  (the spreadsheet row number, the header being line 1), its column header and a Chinese reason.
- **Formula escaping.** A text cell that begins with = + - @ a tab, a carriage return (or a line feed) is
  exported with a leading single quote (') so that spreadsheets do not run it as a formula
  (`IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT` only strips a leading "=", and it turns every cell
  into text). A cell that already begins with quotes before one of those characters gets one
  more quote. Import strips exactly one such quote, so an export re-imports unchanged.
- **Headers.** The file's first row names the columns, in any order; every required column must
  be there and no unknown column may be. A header may carry a description in brackets after a
  space ("类型 (城市社区/村改居)" is read as "类型").
- **Files.** CSV (UTF-8, with or without BOM, or GB18030 as saved by Chinese Excel) or XLSX
  (first sheet), at most `IMPORT_MAX_BYTES` (settings, default 5 MB). Blank rows are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader

from jiedao.permissions import Role, RoleRequiredMixin

__all__ = [
    "CellError",
    "ChoiceWidget",
    "DateWidget",
    "DecimalWidget",
    "ExportView",
    "Field",
    "ImportFileError",
    "ImportOutcome",
    "ImportView",
    "IntegerWidget",
    "NaturalKeyWidget",
    "PortalResource",
    "RowProblem",
    "TemplateDownloadView",
    "TemplateView",
    "TextWidget",
    "YesNoWidget",
    "escape_cell",
    "export_bytes",
    "export_response",
    "read_dataset",
    "resource_urls",
    "run_import",
    "template_bytes",
    "unescape_cell",
]

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

# -- formula escaping -----------------------------------------------------------------------------

# A line feed is escaped too: XLSX (being XML) turns a leading carriage return into one.
_DANGEROUS = re.compile(r"^'*[=+\-@\t\r\n]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r\n]")


def escape_cell(value):
    """A cell as it is written to a file: text that a spreadsheet could run as a formula gets a
    leading single quote. Other values (numbers, dates, None) are returned unchanged."""
    if isinstance(value, str) and _DANGEROUS.match(value):
        return "'" + value
    return value


def unescape_cell(value):
    """The exact inverse of `escape_cell` for cells read from a file."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


# -- widgets: Chinese formats, Chinese errors -------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user beside the column."""


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip(" \u3000") == "")


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


# -- resources ---------------------------------------------------------------------------------------


class _TolerantLoader(ModelInstanceLoader):
    """Finds the existing row by `import_id_fields`; a key that cannot be read means a new row,
    so the row's cells are all checked (and all reported) by `import_instance`. With a single
    key column every existing row is loaded in one query."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.cache = None
        keys = resource.get_import_id_fields()
        if len(keys) == 1 and dataset is not None:
            self.key_field = resource.fields[keys[0]]
            if self.key_field.column_name in (dataset.headers or []):
                values = set()
                for row in dataset.dict:
                    try:
                        values.add(self.key_field.clean(row))
                    except ValueError:
                        continue
                qs = self.get_queryset().filter(**{f"{self.key_field.attribute}__in": values})
                self.cache = {self.key_field.get_value(obj): obj for obj in qs}

    def get_instance(self, row):
        try:
            if self.cache is not None:
                return self.cache.get(self.key_field.clean(row))
            return super().get_instance(row)
        except ValueError:
            return None


class PortalResource(resources.ModelResource):
    """Base of every portal resource. Subclasses declare `Field`s, an explicit `Meta.fields`
    whitelist and `Meta.import_id_fields` (the natural key), and override `save_via_service`.

    - `actor`: the user importing or exporting (services check their permissions).
    - `optional_columns`: column headers that an import file may leave out (the model's
      default, or the existing value, is kept).
    - `constraint_messages`: {constraint name: (field name, message)} — a database
      CheckConstraint broken by a row is reported on that column with that message.

    Bulk mode (`Meta.use_bulk = True`, for big files such as party-member rosters): rows are
    checked in Python only — field validators, the natural key, `check_row` — and written all
    at once at the end by `save_many_via_service(created=[...], updated=[(old, new), ...])`,
    which must call a service that checks permissions, writes in bulk and records the change
    log (`jiedao.audit.log_bulk`). A bulk resource must make its natural key cover every
    unique field of the model, and `check_row` every CheckConstraint; anything the database
    still refuses fails the whole file (with no line number).
    """

    optional_columns: tuple[str, ...] = ()
    constraint_messages: dict = {}

    class Meta:
        skip_diff = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = _TolerantLoader

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    @classmethod
    def columns(cls) -> list[str]:
        """The column headers, in file order."""
        return cls().get_export_headers()

    def save_via_service(self, instance, is_create: bool) -> None:
        """Write one row. Override to call the app's service with `self.actor`."""
        instance.full_clean()
        instance.save()

    def do_instance_save(self, instance, is_create):
        self.save_via_service(instance, is_create)

    def save_many_via_service(self, *, created: list, updated: list) -> None:
        """Bulk mode: write every row at once. Override to call a bulk service; this default
        saves row by row through `save_via_service`."""
        for instance in created:
            self.save_via_service(instance, True)
        for _old, instance in updated:
            self.save_via_service(instance, False)

    def check_row(self, instance) -> dict:
        """Bulk mode: {field name: message} for rules the database would otherwise enforce."""
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not self._meta.use_bulk:
            try:
                super().validate_instance(instance, errors, validate_unique)
            except ValidationError as error:
                raise ValidationError(self._explain_constraints(error.error_dict)) from None
            return
        resolved = [f.attribute for f in self.fields.values() if isinstance(f.widget, NaturalKeyWidget)]
        try:  # no database query: foreign keys were resolved by their widgets, keys by the loader
            instance.full_clean(exclude=set(errors) | set(resolved), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in self.check_row(instance).items():
            if name not in errors:
                errors[name] = [ValidationError(message)]
        if errors:
            raise ValidationError(errors)

    def _explain_constraints(self, error_dict: dict) -> dict:
        general = []
        for error in error_dict.get(NON_FIELD_ERRORS, []):
            text = force_str(error.message)
            for name, (field_name, message) in self.constraint_messages.items():
                if name in text:
                    error_dict.setdefault(field_name, []).append(ValidationError(message))
                    break
            else:
                general.append(error)
        if general:
            error_dict[NON_FIELD_ERRORS] = general
        else:
            error_dict.pop(NON_FIELD_ERRORS, None)
        return error_dict

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created, self.create_instances = list(self.create_instances), []
        updated, self.update_instances = list(self.update_instances), []
        if not (created or updated):
            return
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            return  # the file is refused anyway: write nothing
        try:
            self.save_many_via_service(created=created, updated=[(self._originals.get(i.pk), i) for i in updated])
        except Exception as error:  # noqa: BLE001 - reported for the whole file, then rolled back
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        self._originals = {}
        self._lines = kwargs.get("lines") or []

    def after_init_instance(self, instance, new, row, **kwargs):
        """Two rows with the same key in one file: the second is refused (it would silently win).
        Bulk mode keeps a copy of each existing row for the change log."""
        if self._meta.use_bulk and not new:
            model = type(instance)
            self._originals[instance.pk] = model(
                **{f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
            )
        try:
            key = tuple(self.fields[name].clean(row) for name in self.get_import_id_fields())
        except (ValueError, KeyError):
            return  # the bad key cell is reported with the row's other cells
        number = kwargs.get("row_number") or 0
        if key in self._seen_keys:
            first = self._seen_keys[key]
            line = self._lines[first - 1] if 0 < first <= len(self._lines) else first + 1
            raise ValidationError(
                _("This row repeats line %(line)d (same %(columns)s).")
                % {"line": line, "columns": "、".join(self.fields[n].column_name for n in self.get_import_id_fields())}
            )
        self._seen_keys[key] = number

    def column_of(self, name: str) -> str:
        """The column header for a model field name (or the field's verbose name)."""
        for f in self.fields.values():
            if f.attribute == name:
                return f.column_name
        if name == NON_FIELD_ERRORS:
            return ""
        try:
            return force_str(self._meta.model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - an unknown key is shown as it is
            return name


# -- reading files -----------------------------------------------------------------------------------


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
    limit = getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)
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


# -- running an import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One reason a file was refused. `line` is the spreadsheet row (the header is line 1), None
    for the file as a whole; `column` is the column header, "" for the row as a whole."""

    line: int | None
    column: str
    message: str


@dataclass
class ImportOutcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line is not None})


def _error_message(error: Exception, *, whole_file: bool = False) -> str:
    if isinstance(error, ValidationError):
        return " ".join(force_str(m) for m in error.messages)
    if isinstance(error, IntegrityError) and whole_file:
        return _("The database refused the file (a row conflicts with another record or breaks a rule).")
    if isinstance(error, IntegrityError):
        return _("The database refused this row (it conflicts with another record or breaks a rule).")
    return force_str(error) or error.__class__.__name__


def _error_items(error: ValidationError):
    if hasattr(error, "error_dict"):
        return error.error_dict.items()
    return [(NON_FIELD_ERRORS, error.error_list)]


def _message_of(error: ValidationError) -> str:
    """A required value left empty reads "This column is required." whatever the model says."""
    if error.code in {"null", "blank", "required"}:
        return _("This column is required.")
    message = error.message
    return force_str(message % error.params if error.params else message)


def run_import(resource: PortalResource, uploaded) -> ImportOutcome:
    """Import an uploaded CSV/XLSX file with `resource`, all or nothing.

    Returns an ImportOutcome; when `outcome.ok` is False nothing was written and
    `outcome.problems` lists every bad cell of every bad row."""
    try:
        dataset, lines = read_dataset(uploaded, resource)
    except ImportFileError as error:
        return ImportOutcome(problems=[RowProblem(None, "", str(error))])
    if not len(dataset):
        return ImportOutcome(problems=[RowProblem(None, "", _("The file has a header row but no data rows."))])

    def line_of(number: int) -> int:
        return lines[number - 1] if 0 < number <= len(lines) else number + 1

    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            lines=lines,
        )
        problems = []
        for error in result.base_errors:
            problems.append(RowProblem(None, "", _error_message(error.error, whole_file=True)))
        for row in result.invalid_rows:
            for name, errors in _error_items(row.error):
                for error in errors:
                    problems.append(RowProblem(line_of(row.number), resource.column_of(name), _message_of(error)))
        for row in result.error_rows:
            for error in row.errors:
                problems.append(RowProblem(line_of(row.number), "", _error_message(error.error)))
        order = {column: index for index, column in enumerate(dataset.headers)}
        problems.sort(key=lambda p: (p.line or 0, order.get(p.column, len(order))))
        if problems:
            transaction.set_rollback(True)
            return ImportOutcome(total=len(dataset), problems=problems)
    return ImportOutcome(
        total=len(dataset),
        created=result.totals["new"],
        updated=result.totals["update"],
    )


# -- export --------------------------------------------------------------------------------------------


def _write(dataset: tablib.Dataset, fmt: str) -> bytes:
    """Escape every cell, then write (bypassing the library's lossy '=' stripping)."""
    safe = tablib.Dataset(headers=[escape_cell(h) for h in dataset.headers or []], title=dataset.title)
    for row in dataset:
        safe.append([escape_cell(cell) for cell in row])
    if fmt == "xlsx":
        return safe.export("xlsx", escape=False)
    if fmt == "csv":
        return ("\ufeff" + safe.export("csv")).encode("utf-8")
    raise ValueError(fmt)


def export_bytes(resource: PortalResource, fmt: str = "csv", queryset=None) -> bytes:
    """The resource's rows (or `queryset`'s) as CSV (UTF-8 with BOM) or XLSX, formula-safe."""
    dataset = resource.export(queryset=queryset, force_native_type=(fmt == "xlsx"))
    dataset.title = force_str(resource._meta.model._meta.verbose_name_plural)[:31]
    return _write(dataset, fmt)


def template_bytes(resource: PortalResource, fmt: str = "csv") -> bytes:
    """An empty file with just the header row: the import template."""
    return _write(tablib.Dataset(headers=resource.get_export_headers()), fmt)


def export_response(data: bytes, fmt: str, filename: str) -> HttpResponse:
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = _content_disposition(f"{filename}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"


# -- views -----------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class _ResourceViewMixin(RoleRequiredMixin):
    """What the three views share. Set `resource_class`, `title`, `filename` and `back_url`
    (a URL name); `roles` defaults to staff only."""

    roles = (Role.STAFF,)
    resource_class: type[PortalResource] = None
    title = ""
    filename = "export"
    back_url = None
    url_base = ""  # "<app>:<entity>" — the three URL names add _import, _export, _template

    def get_resource_kwargs(self) -> dict:
        return {"actor": self.request.user}

    def get_resource(self) -> PortalResource:
        return self.resource_class(**self.get_resource_kwargs())

    def get_format(self) -> str:
        fmt = self.request.GET.get("format", "xlsx")
        return fmt if fmt in FORMATS else "xlsx"


class ImportView(_ResourceViewMixin, View):
    """GET: the upload form, the columns and links to the templates. POST: import, then the
    success count or the full list of bad rows (nothing written)."""

    template_name = "jiedao/import_form.html"

    def get_context(self, **extra) -> dict:
        resource = self.get_resource()
        return {
            "title": self.title,
            "columns": resource.get_export_headers(),
            "optional_columns": resource.optional_columns,
            "template_url": reverse(f"{self.url_base}_template"),
            "export_url": reverse(f"{self.url_base}_export"),
            "back_url": reverse(self.back_url) if self.back_url else None,
            **extra,
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.get_context(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.get_context(form=form), status=400)
        outcome = run_import(self.get_resource(), form.cleaned_data["file"])
        if outcome.ok:
            messages.success(
                request,
                _("Imported %(total)d rows: %(created)d new, %(updated)d updated.")
                % {"total": outcome.total, "created": outcome.created, "updated": outcome.updated},
            )
        status = 200 if outcome.ok else 400
        return render(request, self.template_name, self.get_context(form=ImportForm(), outcome=outcome), status=status)


class ExportView(_ResourceViewMixin, View):
    """Download every row (`get_queryset`) as ?format=xlsx (default) or ?format=csv."""

    def get_queryset(self):
        return None  # the resource's own queryset

    def get(self, request, *args, **kwargs):
        fmt = self.get_format()
        data = export_bytes(self.get_resource(), fmt, queryset=self.get_queryset())
        return export_response(data, fmt, f"{self.filename}-{date.today():%Y%m%d}")


class TemplateView(_ResourceViewMixin, View):
    """Download the empty import template (header row only)."""

    def get(self, request, *args, **kwargs):
        fmt = self.get_format()
        return export_response(template_bytes(self.get_resource(), fmt), fmt, f"{self.filename}-template")


TemplateDownloadView = TemplateView  # the same view, by the name the design uses


def resource_urls(
    name: str,
    resource_class: type[PortalResource],
    *,
    title,
    filename: str,
    back_url: str | None = None,
    app_name: str,
    import_view=ImportView,
    export_view=ExportView,
    template_view=TemplateView,
    **view_attrs,
) -> list:
    """Three URL patterns under `<name>/`: import/, export/, template/, named `<name>_import`,
    `<name>_export`, `<name>_template` in `app_name`'s namespace. Extra keyword arguments become
    view attributes (e.g. roles=...); pass your own view subclasses to change behaviour."""
    attrs = {
        "resource_class": resource_class,
        "title": title,
        "filename": filename,
        "back_url": back_url,
        "url_base": f"{app_name}:{name}",
        **view_attrs,
    }
    return [
        path(f"{name}/import/", import_view.as_view(**attrs), name=f"{name}_import"),
        path(f"{name}/export/", export_view.as_view(**attrs), name=f"{name}_export"),
        path(f"{name}/template/", template_view.as_view(**attrs), name=f"{name}_template"),
    ]
