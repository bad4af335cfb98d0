"""The voting page's failed-guess limit behind the documented reverse proxy (issue 11): every
visitor arrives from the proxy's address, the limit counts the client's."""

import pytest
from django.urls import reverse

from assessment import services
from assessment.public_views import CODE_ATTEMPTS_PER_HOUR

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
GUESSER, VOTER = "203.0.113.5", "198.51.100.7"


def post_code(client, code, address):
    return client.post(reverse("ceping:start"), {"code": code}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_101_failures_behind_one_proxy_block_only_that_client_and_never_a_valid_code(
    client, settings, staff, session_a
):
    settings.TRUSTED_PROXY_COUNT = 1
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=2)
    statuses = [post_code(client, f"WRONG{n:07d}", GUESSER).status_code for n in range(CODE_ATTEMPTS_PER_HOUR + 1)]
    assert statuses[:CODE_ATTEMPTS_PER_HOUR] == [200] * CODE_ATTEMPTS_PER_HOUR
    assert statuses[-1] == 429  # the 101st failure from that client
    assert post_code(client, "WRONG9999999", GUESSER).status_code == 429
    # another client behind the same proxy: its wrong code is answered, its valid code opens the ballot
    assert post_code(client, "WRONG8888888", VOTER).status_code == 200
    response = post_code(client, codes[0], VOTER)
    assert response.status_code == 200 and 'name="token"' in response.content.decode()
    # and the blocked client's own valid code is still accepted
    response = post_code(client, codes[1], GUESSER)
    assert response.status_code == 200 and 'name="token"' in response.content.decode()


def test_without_a_trusted_proxy_the_forwarded_header_is_not_believed(client, settings, staff, session_a):
    """A guesser cannot escape the limit by writing a new X-Forwarded-For on each request."""
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(CODE_ATTEMPTS_PER_HOUR):
        assert post_code(client, f"WRONG{n:07d}", f"203.0.113.{n % 250}").status_code == 200
    assert post_code(client, "WRONG9999999", "198.51.100.99").status_code == 429
