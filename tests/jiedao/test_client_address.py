"""The client's address behind our own reverse proxies (issue 11, item 7): never more hops than
configured, never the part of X-Forwarded-For a client may write."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from jiedao.client_address import client_address

PROXY = "10.0.0.2"


def request(xff: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("hops", "xff", "expected"),
    [
        (0, "203.0.113.5", PROXY),  # no proxy configured: the header is the client's own words
        (1, None, PROXY),  # nothing forwarded: the peer
        (1, "203.0.113.5", "203.0.113.5"),  # nginx replaces the header with what it saw
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a client's own entry further left is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),  # two proxies: two hops back
        (2, "203.0.113.5", PROXY),  # fewer hops than proxies: only the peer is known
        (1, "not-an-address", PROXY),
        (1, " 2001:db8::7 ", "2001:db8::7"),
    ],
)
def test_the_address_the_outermost_trusted_proxy_saw(settings, hops, xff, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    assert client_address(request(xff)) == expected


def test_sign_in_lockouts_use_it(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request("203.0.113.5")) == "203.0.113.5"
