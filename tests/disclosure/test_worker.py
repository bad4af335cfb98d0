"""The daily timeliness reminders through a real Celery worker on Redis, as `celery beat` sends them."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from disclosure.choices import Category, Frequency
from disclosure.models import CatalogItem
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


def test_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["disclosure-timeliness-remind"]
    assert entry["task"] == "disclosure.timeliness_remind" and entry["task"] in app.tasks


def test_reminders_sent_twice_through_the_broker_reach_the_secretary_once(real_worker, make_user):
    from jiedao.permissions import Role
    from tests.communities.factories import CommunityFactory
    from tests.disclosure.factories import CatalogItemFactory

    item = CatalogItemFactory(category=Category.RESIDENTS, name="居务月报", frequency=Frequency.MONTHLY)
    CatalogItem.objects.exclude(pk=item.pk).update(active=False)
    community = CommunityFactory(code="W02", name="鹤林社区")
    secretary = make_user("sec_w2", Role.SECRETARY, community, email="sec_w2@example.invalid")
    finished = []

    def count_runs(sender=None, **kwargs):
        if sender.name == "disclosure.timeliness_remind":
            finished.append(kwargs.get("retval"))

    task_postrun.connect(count_runs, weak=False)  # the worker is a thread of this process
    try:
        app.send_task("disclosure.timeliness_remind")
        app.send_task("disclosure.timeliness_remind")
        deadline = time.monotonic() + 120  # a safety net, not a timing assertion
        while time.monotonic() < deadline and len(finished) < 2:
            time.sleep(0.2)
    finally:
        task_postrun.disconnect(count_runs)
    assert len(finished) == 2 and finished[0] > 0 and finished[1] == 0
    reminders = Notification.objects.filter(recipient=secretary, key__startswith="disclosure:")
    assert reminders.count() == finished[0]
    assert all("鹤林社区" in n.title for n in reminders)
