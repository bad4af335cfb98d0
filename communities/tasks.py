"""Celery tasks of the communities app: thin wrappers around services."""

from celery import shared_task

from .periods import local_today
from .services import monthly_reminders_send
from .services.dues import dues_arrears_scan
from .services.lifecycle import probation_reminders_send


@shared_task(name="communities.monthly_reminders")
def monthly_reminders() -> int:
    """Daily: remind secretaries of last month's update before its deadline and once overdue."""
    return monthly_reminders_send()


@shared_task(name="communities.dues_arrears")
def dues_arrears() -> dict:
    """Daily: 党费 three months unpaid → the secretary is told; six → a 自行脱党 review for them."""
    return dues_arrears_scan()


@shared_task(name="communities.probation_reminders")
def probation_reminders() -> int:
    """Daily: a 预备期 ending within a month → the community's secretaries are told, once."""
    return probation_reminders_send(today=local_today())
