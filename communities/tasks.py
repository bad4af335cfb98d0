"""Celery tasks of the communities app: thin wrappers around services."""

from celery import shared_task

from .services import monthly_reminders_send


@shared_task(name="communities.monthly_reminders")
def monthly_reminders() -> int:
    """Daily: remind secretaries of last month's update before its deadline and once overdue."""
    return monthly_reminders_send()
