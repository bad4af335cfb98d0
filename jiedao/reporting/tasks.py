"""The annual report build as a Celery task (DESIGN §6). Thin: load by id, call the build."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from jiedao.reporting.build import annual_report_fail, annual_report_run

# A build of the demo year takes seconds; a stuck one is stopped and marked failed.
REPORT_SOFT_TIME_LIMIT = 15 * 60
REPORT_TIME_LIMIT = REPORT_SOFT_TIME_LIMIT + 60


class AnnualReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The task gave up (time limit, retries exhausted): the report must not stay "running"."""
        report_id = kwargs.get("report_id", args[0] if args else None)
        if report_id is not None:
            annual_report_fail(report_id=report_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=AnnualReportTask,
    name="jiedao.annual_report_build",  # the registered name, unchanged: queued builds still run
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=3,
)
def annual_report_build(report_id: int) -> int:
    report = annual_report_run(report_id=report_id)
    return report.progress if report else 0
