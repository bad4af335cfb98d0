"""Logs an operator can use (issue 12): one line per request, Celery task start/end/failure, and
the request id on every line logged while a request is handled.

    jiedao.request  request id=3f2a… user=17 method=POST path=/disclosure/notices/5/publish/ status=302 duration_ms=84

The id comes from nginx's X-Request-ID (deploy/nginx/jiedao.conf) or is made here, and is sent
back in the X-Request-ID response header, so a user's report of a failure can be found in the log.
The user is their database id, never a name or a number; the query string is left out (it can
carry what someone searched for). Tracebacks of errors go to the log (django.request) with the
same id, never to the page (DEBUG is off in production).

Kept free of Django imports at module level: settings.LOGGING loads RequestIdFilter from here.
"""

import inspect
import logging
import re
import time
import uuid
from contextvars import ContextVar

request_logger = logging.getLogger("jiedao.request")
task_logger = logging.getLogger("jiedao.tasks")

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being handled (or "-") on every record, for the formatter."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class RequestLogMiddleware:
    """First in MIDDLEWARE: the duration covers the whole stack, and redirects made by the
    middleware below it (HTTPS, login) are logged and carry the header too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _GOOD_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_logger.info(
                "request id=%s user=%s method=%s path=%s status=%s duration_ms=%d",
                request_id,
                _user_id(request),
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response
        finally:
            current_request_id.reset(token)


def _user_id(request) -> str:
    user = getattr(request, "user", None)  # absent when a middleware above authentication answered
    if user is not None and user.is_authenticated:
        return str(user.pk)
    return "-"


# -- Celery tasks ------------------------------------------------------------------------------


def _ids(task, args, kwargs) -> str:
    """The task's arguments named *_id (report_id=5): what an operator looks the run up by."""
    try:
        bound = inspect.signature(task.run).bind_partial(*(args or ()), **(kwargs or {}))
    except (TypeError, ValueError):
        return ""
    return "".join(f" {name}={value}" for name, value in bound.arguments.items() if name.endswith("_id"))


_started: dict[str, float] = {}


def task_started(task_id=None, task=None, args=None, kwargs=None, **_):
    _started[task_id] = time.monotonic()
    task_logger.info("task start name=%s id=%s%s", task.name, task_id, _ids(task, args, kwargs))


def task_finished(task_id=None, task=None, args=None, kwargs=None, state=None, **_):
    duration = (time.monotonic() - _started.pop(task_id, time.monotonic())) * 1000
    task_logger.info(
        "task end name=%s id=%s%s state=%s duration_ms=%d",
        task.name,
        task_id,
        _ids(task, args, kwargs),
        state,
        duration,
    )


def task_failed(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **_):
    task_logger.error(
        "task failed name=%s id=%s%s error=%s: %s",
        sender.name,
        task_id,
        _ids(sender, args, kwargs),
        type(exception).__name__,
        exception,
        exc_info=(type(exception), exception, exception.__traceback__) if exception is not None else None,
    )


def connect_task_signals() -> None:
    from celery.signals import task_failure, task_postrun, task_prerun

    task_prerun.connect(task_started, weak=False, dispatch_uid="jiedao.task_started")
    task_postrun.connect(task_finished, weak=False, dispatch_uid="jiedao.task_finished")
    task_failure.connect(task_failed, weak=False, dispatch_uid="jiedao.task_failed")
