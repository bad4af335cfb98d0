"""Periodic jobs of the disclosure boards: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="disclosure.timeliness_remind")
def timeliness_remind() -> int:
    """Daily: tell the responsible secretaries what is due and what is overdue (idempotent)."""
    return services.timeliness_remind()
