"""Running an import: all or nothing, every bad row listed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from .reading import ImportFileError, read_dataset
from .resources import PortalResource


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
