"""Operations pages: `/healthz` for the load balancer, and the backup status page for staff.

`/healthz` answers 200 with one line per check when the node can serve, 503 naming the checks that
failed otherwise. It needs no sign-in and shows no data: only check names and the class of an error
(never its message, which may carry a host name or a connection string)."""

import shutil
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from jiedao.celery import app
from jiedao.models import BackupRun
from jiedao.permissions import BACKUP_STATUS_ROLES, RoleRequiredMixin


class CheckFailed(Exception):
    """A check that ran but found the service unfit; its message is safe to show."""


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key, token = "healthz", uuid.uuid4().hex
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise CheckFailed("value not read back")
    return "ok"


def check_migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} not applied")
    return "ok"


def check_worker() -> str:
    if app.conf.task_always_eager:
        return "skipped (tasks run in-process)"
    # limit=1: return as soon as one worker answers instead of waiting out the timeout
    replies = app.control.ping(timeout=settings.HEALTH_WORKER_TIMEOUT, limit=1)
    if not replies:
        raise CheckFailed("no worker answered")
    return "ok"


def check_media() -> str:
    """Local media: enough free disk. An object store: it answers (one HEAD request)."""
    try:
        path = Path(default_storage.path(""))
    except NotImplementedError:  # no local path: the files live in an object store
        default_storage.exists("healthz")
        return "ok (object store)"
    while not path.exists() and path != path.parent:  # before the first upload the folder may not exist
        path = path.parent
    free = shutil.disk_usage(path).free
    if free < settings.HEALTH_MIN_FREE_BYTES:
        raise CheckFailed(f"{free // 1024**2} MB free")
    return f"ok ({free // 1024**2} MB free)"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", check_database),
    ("migrations", check_migrations),
    ("cache", check_cache),
    ("worker", check_worker),
    ("media", check_media),
]


def run_checks() -> list[tuple[str, bool, str]]:
    results = []
    for name, check in CHECKS:
        try:
            results.append((name, True, check()))
        except CheckFailed as exc:
            results.append((name, False, f"failed: {exc}"))
        except Exception as exc:  # noqa: BLE001 - any error makes the check fail; its class is enough
            results.append((name, False, f"failed: {type(exc).__name__}"))
    return results


@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    """For the load balancer and monitoring: plain text, no sign-in, never cached."""

    def get(self, request):
        results = run_checks()
        failing = [name for name, ok, _detail in results if not ok]
        head = "ok" if not failing else "failing: " + ", ".join(failing)
        body = "\n".join([head, *(f"{name}: {detail}" for name, _ok, detail in results)]) + "\n"
        return HttpResponse(body, status=503 if failing else 200, content_type="text/plain; charset=utf-8")

    head = get


BACKUP_OVERDUE_AFTER = timedelta(hours=26)


class BackupStatusView(RoleRequiredMixin, ListView):
    """备份状态: the latest backups with when, size and outcome (staff only)."""

    roles = BACKUP_STATUS_ROLES
    template_name = "jiedao/backup_status.html"
    queryset = BackupRun.objects.all()
    paginate_by = 30

    def get_context_data(self, **kwargs):
        last = BackupRun.objects.first()
        last_ok = BackupRun.objects.filter(status=BackupRun.Status.OK).first()
        # the job runs nightly: a day and a bit without a good backup means it stopped or keeps failing
        overdue = last is not None and (last_ok is None or last_ok.started_at < timezone.now() - BACKUP_OVERDUE_AFTER)
        return super().get_context_data(
            last=last, last_ok=last_ok, overdue=overdue, keep=settings.BACKUP_KEEP, **kwargs
        )
