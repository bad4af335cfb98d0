"""The ballot-slip PDF as a Celery task. Thin: load by id, call the build (assessment.slips)."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from .slips import slip_job_fail, slip_job_run

SLIPS_SOFT_TIME_LIMIT = 10 * 60
SLIPS_TIME_LIMIT = SLIPS_SOFT_TIME_LIMIT + 60


class SlipJobTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The task gave up (time limit, retries exhausted): the job must not stay "running"."""
        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is not None:
            slip_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=SlipJobTask,
    name="assessment.ballot_slips_build",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SLIPS_SOFT_TIME_LIMIT,
    time_limit=SLIPS_TIME_LIMIT,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=3,
)
def ballot_slips_build(job_id: int) -> int:
    job = slip_job_run(job_id=job_id)
    return job.progress if job else 0
