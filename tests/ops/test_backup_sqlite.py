"""The embedded default (SQLite, media on disk): backup and restore as the operator runs them."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

COUNT = (
    "from django.db import connection; c = connection.cursor(); "
    "print(sum(c.execute(f'SELECT COUNT(*) FROM \"{t}\"').fetchone()[0] "
    "for t in connection.introspection.table_names(c)))"
)


def test_sqlite_backup_restores_into_a_new_file_with_the_same_rows_and_files(tmp_path):
    base = Path(settings.BASE_DIR)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}}

    def manage(*args, db: str, media: str, check=True):
        run_env = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / db}", "MEDIA_ROOT": str(tmp_path / media)}
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=base, env=run_env, capture_output=True, text=True, check=check
        )

    manage("migrate", "--no-input", "-v0", db="a.sqlite3", media="media-a")
    manage(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage; "
        "default_storage.save('showcase/1/photo.png', ContentFile(b'\\x89PNG photo'))",
        db="a.sqlite3",
        media="media-a",
    )
    rows = manage("shell", "-c", COUNT, db="a.sqlite3", media="media-a").stdout.split()[-1]
    out = manage("backup", "--dir", str(tmp_path / "backups"), db="a.sqlite3", media="media-a").stdout
    [archive] = (tmp_path / "backups").glob("jiedao-backup-*.tar")
    assert archive.name in out

    refused = manage("restore", str(archive), db="a.sqlite3", media="media-a", check=False)
    assert refused.returncode != 0 and "不是空的" in refused.stderr

    manage("restore", str(archive), db="b.sqlite3", media="media-b")
    assert manage("shell", "-c", COUNT, db="b.sqlite3", media="media-b").stdout.split()[-1] == rows
    restored = (tmp_path / "media-b" / "showcase" / "1" / "photo.png").read_bytes()
    assert hashlib.sha256(restored).hexdigest() == hashlib.sha256(b"\x89PNG photo").hexdigest()
    assert manage("migrate", "--check", db="b.sqlite3", media="media-b").returncode == 0
