import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-only-9f8e7d6c5b4a",
        ALLOWED_HOSTS="dangjian.example.invalid",
        STATICFILES_STORAGE="whitenoise.storage.CompressedManifestStaticFilesStorage",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
