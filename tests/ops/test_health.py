"""/healthz for the load balancer, and the staff page with the last backups."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiedao.models import BackupRun
from tests.matrix import STAFF_ONLY, check_matrix

pytestmark = pytest.mark.django_db


def lines(response) -> dict[str, str]:
    body = response.content.decode()
    return dict(line.split(": ", 1) for line in body.splitlines()[1:])


def test_healthy_node_answers_200_in_plain_text_without_sign_in_and_uncached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert body.splitlines()[0] == "ok"
    checks = lines(response)
    assert set(checks) == {"database", "migrations", "cache", "worker", "media"}
    assert checks["database"] == checks["migrations"] == checks["cache"] == "ok"
    assert checks["worker"].startswith("skipped")  # the suite runs tasks in-process
    assert checks["media"].startswith("ok")


def test_healthz_is_not_redirected_to_https_so_the_balancer_can_ask_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_unapplied_migrations_make_the_node_unhealthy(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().splitlines()[0] == "failing: migrations"
    assert lines(response)["migrations"] == "failed: 1 not applied"


def test_a_full_media_disk_makes_the_node_unhealthy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-not-created-yet"
    settings.HEALTH_MIN_FREE_BYTES = 10**18
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "failing: media" in response.content.decode()


def test_an_unreachable_cache_names_the_cache_and_no_connection_details(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert body.splitlines()[0] == "failing: cache"
    assert lines(response)["cache"] == "failed: ConnectionError"
    assert "127.0.0.1" not in body


def test_without_a_worker_the_node_is_unhealthy_within_the_timeout(client, settings):
    from jiedao.celery import app

    settings.HEALTH_WORKER_TIMEOUT = 0.5
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        started = timezone.now()
        response = client.get("/healthz")
        elapsed = timezone.now() - started
    finally:
        app.conf.task_always_eager = eager
    assert response.status_code == 503
    assert lines(response)["worker"] == "failed: no worker answered"
    assert elapsed < timedelta(seconds=5)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # the worker thread closes the test's connections
def test_a_worker_that_answers_the_ping_makes_the_node_healthy(client, real_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content.decode()
    assert lines(response)["worker"] == "ok"


# -- the staff page ----------------------------------------------------------------------------


def test_backup_status_page_matrix(personas):
    check_matrix(personas, "/subdistrict/backups/", STAFF_ONLY)


def test_staff_see_the_last_backup_when_its_size_and_outcome(client, staff):
    now = timezone.now()
    BackupRun.objects.create(
        started_at=now - timedelta(days=1, minutes=3),
        finished_at=now - timedelta(days=1),
        status=BackupRun.Status.OK,
        archive="jiedao-backup-old.tar",
        size=5 * 1024**2,
        files=12,
    )
    BackupRun.objects.create(
        started_at=now - timedelta(minutes=2),
        finished_at=now - timedelta(minutes=1),
        status=BackupRun.Status.FAILED,
        error="pg_dump: error: connection refused",
    )
    client.force_login(staff)
    response = client.get("/subdistrict/backups/")
    page = response.content.decode()
    assert "上次备份" in page and "失败" in page and "上次成功的备份" in page
    assert "jiedao-backup-old.tar" in page and "5.0\xa0MB" in page
    assert "connection refused" in page
    assert 'aria-current="page" href="/subdistrict/backups/">备份<' in page  # the menu's entry, marked current


def test_no_backup_yet_is_said_plainly(client, staff):
    client.force_login(staff)
    assert "还没有运行过备份" in client.get("/subdistrict/backups/").content.decode()


def test_staff_are_warned_when_no_backup_succeeded_for_more_than_a_day(client, staff):
    now = timezone.now()
    ok = BackupRun.objects.create(
        started_at=now - timedelta(hours=2), finished_at=now - timedelta(hours=2), status=BackupRun.Status.OK
    )
    client.force_login(staff)
    assert "超过一天没有成功的备份" not in client.get("/subdistrict/backups/").content.decode()
    BackupRun.objects.filter(pk=ok.pk).update(started_at=now - timedelta(days=3))
    BackupRun.objects.create(
        started_at=now - timedelta(hours=1), finished_at=now, status=BackupRun.Status.FAILED, error="disk full"
    )
    assert "超过一天没有成功的备份" in client.get("/subdistrict/backups/").content.decode()


def test_backups_are_read_only_in_the_admin(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    now = timezone.now()
    run = BackupRun.objects.create(started_at=now, finished_at=now, status=BackupRun.Status.OK, archive="a.tar")
    client.force_login(admin_user)
    assert client.get("/admin/jiedao/backuprun/").status_code == 200
    assert client.get("/admin/jiedao/backuprun/add/").status_code == 403
    assert client.post(f"/admin/jiedao/backuprun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert BackupRun.objects.filter(pk=run.pk).exists()
