"""The daily reminder job through a real Celery worker on Redis, as `celery beat` sends it."""

import pytest
from django.utils import timezone

from jiedao.celery import app
from jiedao.models import Notification
from tests.jiedao.report_helpers import ensure_role_groups
from tests.worker import send_and_collect

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()


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
    finished = send_and_collect("communities.monthly_reminders", times=2)
    assert finished == [1, 0]  # the first run sent one reminder, the second none
    notices = Notification.objects.filter(recipient=secretary)
    assert notices.count() == 1
    last_month = timezone.localdate().replace(day=1)
    assert notices.get().title.startswith("平丰社区：") and str(last_month.year) in notices.get().title
