"""Backup and restore: the database and every stored file in ONE archive (`manage.py backup` /
`manage.py restore`, and nightly by celery beat).

The archive is a tar file:

- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a copy made
  with SQLite's online backup API);
- `media/<name>` for every file of the default storage, read through the storage API, so it works
  the same for local disk and an S3-compatible object store;
- `manifest.json`: the row count of every table (counted in the dump's own snapshot) and the size and
  SHA-256 of every file. Restore checks both.

Consistency: on PostgreSQL the dump runs in a snapshot exported by a REPEATABLE READ transaction, the
tables are counted in the same snapshot, and the files are listed only after it was taken. Files are
written before the row that names them commits, so every file a dumped row names is in the archive;
a file written later is simply not there (and no dumped row names it).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.models import BackupRun

FORMAT = 1
ARCHIVE_PREFIX = "jiedao-backup-"
ARCHIVE_SUFFIX = ".tar"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass
class BackupResult:
    path: Path
    size: int
    files: int
    tables: dict[str, int]


# -- helpers ------------------------------------------------------------------------------------


def storage_files(storage=None, directory: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, through the storage API."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # local media folder not created yet: nothing stored
        return
    for name in sorted(files):
        yield f"{directory}{name}"
    for sub in sorted(directories):
        yield from storage_files(storage, f"{directory}{sub}/")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(conn) -> dict[str, int]:
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_args(settings_dict) -> tuple[list[str], dict]:
    args, env = [], dict(os.environ)
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]}: {done.stderr.strip()[-1500:]}")


class _HashingReader:
    """Reads through a file object while counting and hashing what passes."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


# -- backup -------------------------------------------------------------------------------------


@contextmanager
def _database_copy(work: Path):
    """Yield (archive member name, file, table counts) of a consistent copy of the database, with
    the snapshot still held (PostgreSQL) so that files are listed after it was taken."""
    if connection.vendor == "postgresql":
        conn = connections.create_connection("default")  # its own session: the snapshot lives in it
        try:
            with conn.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = table_counts(conn)
            path = work / "database.dump"
            args, env = _pg_args(conn.settings_dict)
            _run(
                ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges"]
                + [f"--snapshot={snapshot}", f"--file={path}", conn.settings_dict["NAME"]],
                env,
            )
            yield "database.dump", path, counts
            with conn.cursor() as cursor:
                cursor.execute("COMMIT")
        finally:
            conn.close()
    elif connection.vendor == "sqlite":
        path = work / "database.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(path)
        try:
            source.backup(target)  # a consistent copy even while the portal writes
            cursor = target.cursor()
            names = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            counts = {
                n: cursor.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]
                for n in sorted(names)
                if not n.startswith("sqlite_")
            }
        finally:
            source.close()
            target.close()
        yield "database.sqlite3", path, counts
    else:
        raise BackupError(_("Backups support PostgreSQL and SQLite only."))


def _write_archive(directory: Path) -> BackupResult:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)  # archives hold personal data
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    final = directory / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    part = directory / f".{final.name}.part"  # not an archive until it is whole
    storage = default_storage
    try:
        raw = os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        with (
            raw,
            tempfile.TemporaryDirectory(dir=directory, prefix=".work-") as work,
            tarfile.open(fileobj=raw, mode="w") as tar,
        ):
            with _database_copy(Path(work)) as (member, db_path, counts):
                db_sha = hashlib.sha256()
                with db_path.open("rb") as f:
                    for chunk in iter(lambda: f.read(CHUNK), b""):
                        db_sha.update(chunk)
                tar.add(db_path, arcname=member)
                files = []
                for name in storage_files(storage):  # listed after the snapshot was taken
                    with storage.open(name, "rb") as handle:
                        info = tarfile.TarInfo(MEDIA_PREFIX + name)
                        info.size = storage.size(name)
                        info.mtime = int(timezone.now().timestamp())
                        reader = _HashingReader(handle)
                        tar.addfile(info, reader)
                    files.append({"name": name, "size": reader.size, "sha256": reader.sha256.hexdigest()})
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": {
                    "vendor": connection.vendor,
                    "member": member,
                    "sha256": db_sha.hexdigest(),
                    "tables": counts,
                },
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, BytesIO(data))
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, final)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BackupResult(path=final, size=final.stat().st_size, files=len(files), tables=counts)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (names sort by time). Returns what was deleted."""
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    old = archives[: max(len(archives) - max(keep, 1), 0)]
    for path in old:
        path.unlink()
    return old


def backup(*, directory: Path | None = None, keep: int | None = None) -> BackupResult:
    """Write one archive, prune old ones, and record the outcome (a BackupRun row) for the staff
    page. A failure is recorded and raised again."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    started = timezone.now()
    try:
        result = _write_archive(directory)
        prune(directory, keep)
    except Exception as exc:
        BackupRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            status=BackupRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    BackupRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        status=BackupRun.Status.OK,
        archive=result.path.name,
        size=result.size,
        files=result.files,
    )
    return result


# -- restore ------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("This file is not a backup archive of the portal.")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup archive has an unknown format."))
    return manifest


def _drop_all_tables() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if not tables:
            return
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(_quote(t) for t in tables) + " CASCADE")
            # the change log's trigger function (jiedao migration 0005) outlives its table; the dump has it
            cursor.execute("DROP FUNCTION IF EXISTS jiedao_audit_append_only() CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)}")


def restore(archive: Path, *, force: bool = False, stdout=None) -> dict:
    """Restore an archive into an empty database and an empty media store. A database with tables
    or a store with files is refused unless `force`: then every table is dropped first and stored
    files of the same names are replaced (other files stay). Returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("There is no backup archive at %(path)s.") % {"path": archive})
    storage = default_storage
    with tarfile.open(archive, "r") as tar:
        manifest = read_manifest(tar)
        database = manifest["database"]
        if database["vendor"] != connection.vendor:
            raise BackupError(
                _("This backup was made on %(made)s and cannot be restored into %(here)s.")
                % {"made": database["vendor"], "here": connection.vendor}
            )
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        files = sum(1 for _name in storage_files(storage))
        if (tables or files) and not force:
            raise BackupError(
                _(
                    "The database or the media store is not empty (%(tables)s tables, %(files)s files). "
                    "Restore into an empty database and media store, or pass --force to replace them."
                )
                % {"tables": len(tables), "files": files}
            )
        if tables:
            _drop_all_tables()

        with tempfile.TemporaryDirectory() as work:
            db_path = Path(work) / database["member"]
            with tar.extractfile(database["member"]) as source, db_path.open("wb") as target:
                reader = _HashingReader(source)
                shutil.copyfileobj(reader, target, CHUNK)
            if reader.sha256.hexdigest() != database["sha256"]:
                raise BackupError(_("The database in the archive is damaged (checksum mismatch)."))
            _restore_database(db_path)

        for entry in manifest["files"]:
            name = entry["name"]
            with tar.extractfile(MEDIA_PREFIX + name) as source, tempfile.SpooledTemporaryFile(CHUNK * 8) as buffer:
                reader = _HashingReader(source)
                shutil.copyfileobj(reader, buffer, CHUNK)
                if reader.sha256.hexdigest() != entry["sha256"]:
                    raise BackupError(_("The file %(name)s in the archive is damaged.") % {"name": name})
                buffer.seek(0)
                if storage.exists(name):  # only with force: the archive's copy wins
                    storage.delete(name)
                saved = storage.save(name, File(buffer, name=name))
            if saved != name:
                raise BackupError(_("The file %(name)s could not be stored under its own name.") % {"name": name})

    counts = table_counts(connection)
    wrong = {t: (n, counts.get(t)) for t, n in database["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(_("Row counts differ after the restore: %(tables)s") % {"tables": wrong})
    return manifest


def _restore_database(path: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        connection.close()
        _run(
            ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            + [f"--dbname={connection.settings_dict['NAME']}", str(path)],
            env,
        )
    else:
        connection.close()
        source = sqlite3.connect(path)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
