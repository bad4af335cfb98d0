"""The daily reminder job through a real Celery worker on Redis, as `celery beat` sends it."""

import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from jiedao.celery import app
from jiedao.models import Notification
from tests.jiedao.report_helpers import ensure_role_groups

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()


@pytest.fixture
def real_worker():
    assert app.conf.broker_url.startswith("redis://"), "this test needs REDIS_URL"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        app.control.purge()
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = eager


def test_beat_entry_names_a_registered_daily_task():
    app.loader.import_default_modules()  # what a worker does on start: autodiscover the tasks
    entry = app.conf.beat_schedule["communities-monthly-reminders"]
    assert entry["task"] == "communities.monthly_reminders" and entry["task"] in app.tasks
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}


def test_reminders_sent_twice_through_the_broker_reach_the_secretary_once(real_worker, make_user, settings):
    from jiedao.permissions import Role
    from tests.communities.factories import CommunityFactory

    settings.MONTHLY_UPDATE_DEADLINE_DAY = 1  # last month's update is due (today) or overdue, never early
    community = CommunityFactory(code="W01", name="平丰社区")
    secretary = make_user("sec_w", Role.SECRETARY, community, email="sec_w@example.invalid")
    finished = []

    def count_runs(sender=None, **kwargs):
        if sender.name == "communities.monthly_reminders":
            finished.append(kwargs.get("retval"))

    task_postrun.connect(count_runs, weak=False)  # the worker is a thread of this process
    try:
        app.send_task("communities.monthly_reminders")
        app.send_task("communities.monthly_reminders")
        deadline = time.monotonic() + 120  # a safety net, not a timing assertion
        while time.monotonic() < deadline and len(finished) < 2:
            time.sleep(0.2)
    finally:
        task_postrun.disconnect(count_runs)
    assert finished == [1, 0]  # the first run sent one reminder, the second none
    notices = Notification.objects.filter(recipient=secretary)
    assert notices.count() == 1
    last_month = date.today().replace(day=1)
    assert notices.get().title.startswith("平丰社区：") and str(last_month.year) in notices.get().title
