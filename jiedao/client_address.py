"""The address of the client behind our own reverse proxies (issue 11, item 7).

Behind nginx every request comes from the proxy's address; rate limits and sign-in lockouts that
keyed on REMOTE_ADDR would treat every visitor as one. With `TRUSTED_PROXY_COUNT = N` proxies of
our own in front, the last N entries of X-Forwarded-For were written by them, and the N-th from
the end is the address the outermost one saw: the client. Anything further left was sent by the
client and is never believed. With N = 0 (no proxy) the header is ignored altogether.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address: the one the outermost trusted proxy saw, or the peer's address
    when there is no trusted proxy or the header is missing, short or malformed."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:  # did not come through all our proxies: only the peer is known
        return remote
    return _valid(forwarded[-hops]) or remote


def ratelimit_key(group, request) -> str:
    """django-ratelimit's `key` for limits per client (its own "ip" key reads REMOTE_ADDR)."""
    return client_address(request)
