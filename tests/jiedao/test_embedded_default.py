"""The embedded default (nothing configured: SQLite, tasks in-process) migrates and seeds."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_embedded_default_migrates_and_loads_demo_data(tmp_path):
    base = Path(settings.BASE_DIR)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'embedded.sqlite3'}"
    env["DEMO_PASSWORD"] = "embedded-demo-1"

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=base, env=env, capture_output=True, text=True, check=True
        ).stdout

    manage("migrate", "--no-input", "-v0")
    first = manage("seed_demo")
    manage("seed_demo")  # idempotent
    counted = manage("shell", "-c", "from communities.models import Community; print(Community.objects.count())")
    assert "shuji-sq01" in first and "embedded-demo-1" in first
    assert counted.strip().splitlines()[-1] == "20"
