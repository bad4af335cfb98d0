from celery import shared_task

from .services import rectifications_notify_overdue


@shared_task(name="showcase.notify_overdue_rectifications")
def notify_overdue_rectifications() -> int:
    """Daily: tell staff about overdue rectification items (idempotent: one notice per item)."""
    return rectifications_notify_overdue()
