"""The daily timeliness reminders through a real Celery worker on Redis, as `celery beat` sends them."""

import pytest

from disclosure.choices import Category, Frequency
from disclosure.models import CatalogItem
from jiedao.celery import app
from jiedao.models import Notification
from tests.jiedao.report_helpers import ensure_role_groups
from tests.worker import send_and_collect

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()


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
    finished = send_and_collect("disclosure.timeliness_remind", times=2)
    assert len(finished) == 2 and finished[0] > 0 and finished[1] == 0
    reminders = Notification.objects.filter(recipient=secretary, key__startswith="disclosure:")
    assert reminders.count() == finished[0]
    assert all("鹤林社区" in n.title for n in reminders)
