"""The Celery app. Tasks live in each app's tasks.py; periodic jobs are listed here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")

app = Celery("jiedao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["jiedao.reporting"])  # not an app of its own: named here

# Daily jobs, run by `celery beat` in production (times are Asia/Shanghai).
app.conf.beat_schedule = {
    "showcase-overdue-rectifications": {
        "task": "showcase.notify_overdue_rectifications",
        "schedule": crontab(hour=7, minute=30),
    },
    "disclosure-timeliness-remind": {
        "task": "disclosure.timeliness_remind",
        "schedule": crontab(hour=7, minute=45),
    },
    "disclosure-case-overdue-remind": {
        "task": "disclosure.case_overdue_remind",
        "schedule": crontab(hour=7, minute=50),
    },
    "communities-monthly-reminders": {
        "task": "communities.monthly_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "communities-dues-arrears": {  # 党费 arrears at 3 and 6 months (each told once)
        "task": "communities.dues_arrears",
        "schedule": crontab(hour=8, minute=15),
    },
    "communities-probation-reminders": {  # a 预备期 ending within a month (each told once)
        "task": "communities.probation_reminders",
        "schedule": crontab(hour=8, minute=20),
    },
    # change-log entries past AUDIT_RETENTION_DAYS: archived to the storage, then deleted
    "jiedao-audit-purge": {
        "task": "jiedao.audit_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # the database and every stored file in one archive; keeps the newest BACKUP_KEEP
    "jiedao-backup-nightly": {
        "task": "jiedao.backup_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
}
