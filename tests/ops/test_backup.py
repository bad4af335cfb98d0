"""Backup and restore: one archive with the database and every stored file, restored into an empty
database and media store, checked by row counts, file checksums and the same annual report."""

import hashlib
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from jiedao import backup as backup_module
from jiedao.backup import backup, prune, storage_files
from jiedao.celery import app
from jiedao.models import BackupRun, Notification
from jiedao.reporting.annual import annual_report_pdf
from tests.jiedao.report_helpers import pdf_text
from tests.ops.store import bucket_keys

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and pg_restore see committed data only


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def file_checksums() -> dict[str, str]:
    sums = {}
    for name in storage_files():
        with default_storage.open(name, "rb") as handle:
            sums[name] = hashlib.sha256(handle.read()).hexdigest()
    return sums


def report_text(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(annual_report_pdf(year=2005))
    return pdf_text(path)


def wipe_database_and_media(media: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    shutil.rmtree(media, ignore_errors=True)


def test_the_demo_survives_backup_wipe_and_restore(settings, tmp_path):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    counts, sums = row_counts(), file_checksums()
    assert counts["communities_community"] > 0 and len(sums) > 0  # the demo has rows and photos
    report_before = report_text(tmp_path, "before.pdf")

    out = StringIO()
    call_command("backup", dir=tmp_path / "backups", stdout=out)
    [archive] = (tmp_path / "backups").glob("jiedao-backup-*.tar")
    assert archive.name in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "database.dump" in names and "manifest.json" in names
    assert {f"media/{name}" for name in sums} <= set(names)

    assert BackupRun.objects.get().archive == archive.name  # recorded after the dump: not in it
    with pytest.raises(CommandError, match="不是空的"):  # a database with data is refused
        call_command("restore", str(archive), stdout=StringIO())
    assert row_counts() == {**counts, "jiedao_backuprun": 1}

    wipe_database_and_media(media)
    assert row_counts() == {} and file_checksums() == {}
    call_command("restore", str(archive), stdout=StringIO())

    assert row_counts() == counts
    assert file_checksums() == sums
    assert report_text(tmp_path, "after.pdf") == report_before


def test_a_file_written_after_the_snapshot_does_not_break_the_restore(settings, tmp_path, staff, monkeypatch):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    default_storage.save("showcase/1/early.png", ContentFile(b"early"))
    listed = backup_module.storage_files

    def a_write_lands_meanwhile(storage=None, directory=""):
        if directory == "":  # the snapshot is taken; the portal goes on writing
            default_storage.save("showcase/1/late.png", ContentFile(b"late"))
            Notification.objects.create(recipient=staff, key="late", title="late")
        yield from listed(storage, directory)

    monkeypatch.setattr(backup_module, "storage_files", a_write_lands_meanwhile)
    counts = row_counts()
    result = backup(directory=tmp_path / "backups")
    monkeypatch.setattr(backup_module, "storage_files", listed)
    assert result.tables["jiedao_notification"] == counts["jiedao_notification"]  # the dump's snapshot

    wipe_database_and_media(media)
    call_command("restore", str(result.path), stdout=StringIO())
    assert row_counts() == counts
    assert default_storage.open("showcase/1/early.png").read() == b"early"


def test_restore_with_force_replaces_a_non_empty_database(settings, tmp_path, staff):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("reports/annual/2005/a.pdf", ContentFile(b"%PDF kept"))
    counts = row_counts()
    result = backup(directory=tmp_path / "backups")
    staff.username = "renamed-after-backup"
    staff.save()
    default_storage.delete("reports/annual/2005/a.pdf")
    default_storage.save("reports/annual/2005/a.pdf", ContentFile(b"%PDF changed"))

    call_command("restore", str(result.path), force=True, stdout=StringIO())
    assert row_counts() == counts
    with connection.cursor() as cursor:
        cursor.execute("SELECT username FROM auth_user")
        assert [r[0] for r in cursor.fetchall()] == ["staff1"]
    assert default_storage.open("reports/annual/2005/a.pdf").read() == b"%PDF kept"


def test_a_damaged_archive_is_refused_in_chinese(tmp_path):
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w"):
        pass
    with pytest.raises(CommandError, match="不是本平台的备份文件"):
        call_command("restore", str(bogus), stdout=StringIO())


def test_each_backup_is_recorded_and_old_archives_are_pruned(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    directory = tmp_path / "backups"
    for _ in range(3):
        backup(directory=directory, keep=2)
    archives = sorted(directory.glob("jiedao-backup-*.tar"))
    assert len(archives) == 2
    runs = list(BackupRun.objects.all())
    assert [r.status for r in runs] == [BackupRun.Status.OK] * 3
    assert runs[0].archive == archives[-1].name and runs[0].size == archives[-1].stat().st_size
    assert list(directory.iterdir()) == archives or sorted(directory.iterdir()) == archives  # no leftovers
    assert prune(directory, 1) == archives[:1]


def test_a_failed_backup_is_recorded_with_its_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(OSError):
        backup(directory=blocker / "backups")
    run = BackupRun.objects.get()
    assert run.status == BackupRun.Status.FAILED and "Error" in run.error and not run.archive


def test_the_backup_runs_nightly_from_beat():
    import jiedao.tasks  # noqa: F401 - registers the tasks, as the worker's autodiscovery does

    entry = app.conf.beat_schedule["jiedao-backup-nightly"]
    assert entry["task"] == "jiedao.backup_nightly"
    assert entry["task"] in app.tasks


def test_files_in_an_object_store_are_backed_up_and_restored_through_the_storage_api(
    settings, tmp_path, object_store, staff
):
    env = object_store["env"]
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay unused
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env["S3_BUCKET"],
                "endpoint_url": env["S3_ENDPOINT_URL"],
                "region_name": env["S3_REGION"],
                "access_key": env["S3_ACCESS_KEY_ID"],
                "secret_key": env["S3_SECRET_ACCESS_KEY"],
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    default_storage.save("reports/annual/2005/annual-report-2005-v1.pdf", ContentFile(b"%PDF in the bucket"))
    default_storage.save("communities/monthly/2005/03/photo.png", ContentFile(b"\x89PNG in the bucket"))
    counts, sums = row_counts(), file_checksums()
    assert len(sums) == 2

    result = backup(directory=tmp_path / "backups")
    assert result.files == 2

    wipe_database_and_media(settings.MEDIA_ROOT)
    client, bucket = object_store["client"], object_store["bucket"]
    for key in bucket_keys(object_store):
        client.delete_object(Bucket=bucket, Key=key)
    assert file_checksums() == {}
    call_command("restore", str(result.path), stdout=StringIO())

    assert row_counts() == counts
    assert file_checksums() == sums and bucket_keys(object_store) == sorted(sums)
    assert not settings.MEDIA_ROOT.exists()
