"""The Celery side of a BackgroundJob (jiedao.models): one task per build, loaded by id, retried on
a lost database connection, stopped after its time limit and then marked failed, so that no job
stays "running" after its task gave up."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError


def time_limit_for(soft_time_limit: int) -> int:
    """The hard limit: a minute after the soft one, so the task may still record the failure."""
    return soft_time_limit + 60


def background_job_task(*, name: str, soft_time_limit: int, id_arg: str, fail):
    """A decorator like shared_task for the function that builds one job. `fail(**{id_arg: id},
    error=...)` marks the job failed when the task gives up (time limit, retries exhausted)."""

    class BackgroundJobTask(Task):
        def on_failure(self, exc, task_id, args, kwargs, einfo):
            job_id = kwargs.get(id_arg, args[0] if args else None)
            if job_id is not None:
                fail(**{id_arg: job_id}, error=f"{type(exc).__name__}: {exc}")

    return shared_task(
        base=BackgroundJobTask,
        name=name,
        serializer="json",
        acks_late=True,
        reject_on_worker_lost=True,
        soft_time_limit=soft_time_limit,
        time_limit=time_limit_for(soft_time_limit),
        autoretry_for=(OperationalError, InterfaceError),
        retry_backoff=5,
        retry_jitter=True,
        max_retries=3,
    )
