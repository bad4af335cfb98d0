#!/usr/bin/env bash
# `make test`: lint, Django's checks, migrations up to date, then the whole pytest suite
# (browser tests included) on real PostgreSQL and Redis.
set -euo pipefail
source scripts/services.sh
export CELERY_TASK_ALWAYS_EAGER=true DJANGO_ALLOW_ASYNC_UNSAFE=true
py=.venv/bin/python
echo "Database: ${DATABASE_URL}  Redis: ${REDIS_URL}"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
$py manage.py compilemessages --ignore=.venv -v0
$py manage.py check --fail-level WARNING
$py manage.py makemigrations --check --dry-run
$py -m pytest "$@"
