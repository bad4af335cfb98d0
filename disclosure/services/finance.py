"""Financial disclosures: the declared totals, the 收支明细 lines, and whether they reconcile."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.permissions import ensure_can_draft

from ..choices import LineKind, NoticeStatus
from ..models import FinanceLine, Notice
from .common import _expect, _lock, _refuse_personal_numbers


def finance_problems(notice: Notice, lines=None) -> list[str]:
    """Why a financial disclosure does not reconcile: the declared totals against the lines, and
    opening balance + income − expense against the closing balance. Empty when it reconciles."""
    if lines is None:
        lines = list(notice.finance_lines.all())
    if not notice.is_finance:
        return []
    problems = []
    declared = (notice.opening_balance, notice.income_total, notice.expense_total, notice.closing_balance)
    if any(v is None for v in declared):
        return [_("A financial disclosure needs the opening balance, total income, total expense and closing balance.")]
    income = sum((ln.amount for ln in lines if ln.kind == LineKind.INCOME), Decimal("0"))
    expense = sum((ln.amount for ln in lines if ln.kind == LineKind.EXPENSE), Decimal("0"))
    if income != notice.income_total:
        problems.append(
            _("The income lines add up to %(lines)s yuan, but the total income is %(total)s yuan.")
            % {"lines": f"{income:.2f}", "total": f"{notice.income_total:.2f}"}
        )
    if expense != notice.expense_total:
        problems.append(
            _("The expense lines add up to %(lines)s yuan, but the total expense is %(total)s yuan.")
            % {"lines": f"{expense:.2f}", "total": f"{notice.expense_total:.2f}"}
        )
    expected = notice.opening_balance + notice.income_total - notice.expense_total
    if expected != notice.closing_balance:
        problems.append(
            _("Opening balance + income − expense is %(expected)s yuan, but the closing balance is %(closing)s yuan.")
            % {"expected": f"{expected:.2f}", "closing": f"{notice.closing_balance:.2f}"}
        )
    return problems


@dataclass
class LineData:
    kind: str
    item: str
    amount: Decimal
    note: str = ""


@dataclass
class FinanceData:
    """Corrected financial figures: the four declared totals and the lines."""

    opening_balance: Decimal
    income_total: Decimal
    expense_total: Decimal
    closing_balance: Decimal
    lines: list[LineData]


TOTALS = ("opening_balance", "income_total", "expense_total", "closing_balance")


def finance_snapshot(notice: Notice) -> dict | None:
    """The figures as published, kept with the revision so a correction never loses them."""
    if not notice.is_finance:
        return None
    snapshot = {name: None if getattr(notice, name) is None else f"{getattr(notice, name):.2f}" for name in TOTALS}
    snapshot["lines"] = [
        {"kind": ln.kind, "item": ln.item, "amount": f"{ln.amount:.2f}", "note": ln.note}
        for ln in notice.finance_lines.order_by("kind", "order", "id")
    ]
    return snapshot


@transaction.atomic
def finance_lines_replace(*, actor, notice: Notice, lines: list[LineData]) -> list[FinanceLine]:
    ensure_can_draft(actor, notice.board)
    _expect(_lock(notice), NoticeStatus.DRAFT)
    notice.finance_lines.all().delete()
    created = []
    for order, data in enumerate(lines):
        _refuse_personal_numbers(data.item, data.note)
        line = FinanceLine(notice=notice, order=order, **data.__dict__)
        line.full_clean()
        line.save()
        created.append(line)
    return created
