"""Residents' questions behind the documented reverse proxy (issue 11): the hourly limit is per
resident, not per proxy. (The client-address helper's test, kept beside the disclosure tests for
their fixtures.)"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from disclosure.models import Feedback
from tests.disclosure.test_views import notices  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def test_six_residents_behind_one_proxy_each_ask_a_question(client, notices, settings):  # noqa: F811
    settings.TRUSTED_PROXY_COUNT = 1
    settings.DISCLOSURE_FEEDBACK_PER_HOUR = 2
    cache.clear()
    notice = notices["published"]
    url = reverse("gongkai:notice", args=[notice.board.slug, notice.pk])

    def ask(resident: int, n: int) -> int:
        address = f"203.0.113.{resident}"
        data = {"body": f"居民{resident}的问题{n}"}
        return client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).status_code

    assert [ask(resident, 1) for resident in range(1, 7)] == [302] * 6
    assert Feedback.objects.count() == 6
    # each within their own limit: a resident's third question is refused, the others' second is not
    assert ask(1, 2) == 302 and ask(1, 3) == 429
    assert ask(2, 2) == 302
    cache.clear()
