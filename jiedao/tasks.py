"""Sub-district jobs of the kernel: the nightly backup. The annual report build is in
jiedao/reporting/tasks.py."""

from celery import shared_task

from jiedao.audit import purge_expired
from jiedao.backup import backup


@shared_task(name="jiedao.backup_nightly", serializer="json", acks_late=False, time_limit=6 * 3600)
def backup_nightly() -> str:
    """The nightly backup (beat schedule in jiedao/celery.py); the outcome is recorded for staff."""
    return backup().path.name


@shared_task(name="jiedao.audit_purge", serializer="json")
def audit_purge() -> int:
    """The daily change-log retention job (beat schedule in jiedao/celery.py): archive, then delete."""
    return purge_expired()["count"]
