"""A real Celery worker on Redis for the tests that send tasks through the broker (marked `worker`).

The suite runs with CELERY_TASK_ALWAYS_EAGER=true; these helpers switch eager mode off so tasks really
travel through Redis (REDIS_URL) to a worker thread started in this process."""

import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from jiedao.celery import app


@contextmanager
def running_worker():
    """A solo worker thread consuming from Redis, with eager mode off while it runs."""
    assert app.conf.broker_url.startswith("redis://"), "this test needs REDIS_URL"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        app.control.purge()  # nothing left over from an earlier run
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = eager


def send_and_collect(task_name: str, *, times: int = 2, safety_seconds: float = 120) -> list:
    """Send the task by name `times` times through the broker (as `celery beat` does) and return the
    results of the runs the worker finished, in order."""
    finished = []

    def count_runs(sender=None, **kwargs):
        if sender.name == task_name:
            finished.append(kwargs.get("retval"))

    task_postrun.connect(count_runs, weak=False)  # the worker is a thread of this process
    try:
        for _ in range(times):
            app.send_task(task_name)
        deadline = time.monotonic() + safety_seconds  # a safety net, not a timing assertion
        while time.monotonic() < deadline and len(finished) < times:
            time.sleep(0.2)
    finally:
        task_postrun.disconnect(count_runs)
    return finished
