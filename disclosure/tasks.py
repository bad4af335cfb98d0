"""Periodic jobs of the disclosure boards: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="disclosure.timeliness_remind")
def timeliness_remind() -> int:
    """Daily: tell the responsible secretaries what is due and what is overdue (idempotent)."""
    return services.timeliness_remind()


@shared_task(name="disclosure.case_overdue_remind")
def case_overdue_remind() -> int:
    """Daily: remind each overdue case's handler, at most once a day per case."""
    return services.case_overdue_remind()
