"""manage.py seed_scale: a consistent city for the benchmark, of the size asked for."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from communities.models import Community, MonthlyUpdate
from disclosure.models import Board, Notice, NoticeRevision, NoticeStep
from jiedao.models import Profile
from showcase.models import Site
from tests.benchmarks.pages import PUBLIC, STAFF, page_urls

pytestmark = pytest.mark.django_db


def _query(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_seed_scale_builds_a_consistent_city_whose_pages_render(client):
    call_command("seed_scale", communities=3, history_years=1, password="x", stdout=io.StringIO())

    assert Community.objects.count() == 3
    assert Board.objects.filter(community__isnull=False).count() == 3  # every community has its board
    assert Board.objects.filter(community__isnull=True).count() == 1
    assert Profile.objects.filter(community__isnull=False).count() == 3  # and its secretary
    assert MonthlyUpdate.objects.count() == 3 * 12
    assert set(Notice.objects.dates("period_start", "year").values_list("period_start__year", flat=True)) == {2005}
    published = Notice.objects.filter(status="published")
    assert published.exists()
    assert NoticeRevision.objects.filter(notice__in=published).count() == published.count()
    assert NoticeStep.objects.filter(notice__in=published).count() == 4 * published.count()
    assert Site.objects.exists()

    urls = page_urls(_query)
    for name in PUBLIC:
        assert client.get(urls[name]).status_code == 200, name
    client.force_login(get_user_model().objects.get(username="staff"))
    for name in STAFF:
        assert client.get(urls[name]).status_code == 200, name


def test_seed_scale_refuses_a_database_with_communities_unless_reset():
    call_command("seed_scale", communities=2, history_years=1, password="x", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed_scale", communities=2, history_years=1, password="x", stdout=io.StringIO())
    call_command("seed_scale", communities=4, history_years=1, password="x", reset=True, stdout=io.StringIO())
    assert Community.objects.count() == 4
