"""The public pages' cache: one content version for everything the public sees.

Every service that changes what an anonymous visitor can see (a publish, a correction, a withdrawal,
an answer, a meeting, a showcase change…) calls `bump_public_version()`. Public views wear
`@public_page`: for a visitor without a session cookie the page is served from the Django cache
(Redis in production) when it was rendered under the current version, with an ETag and
Last-Modified so browsers and nginx revalidate with a cheap 304; nothing is reused across a bump,
so no page is ever stale.
Signed-in visitors (a session cookie) and anyone holding a flash message always get a fresh page
and no public caching headers.
"""

import hashlib
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

VERSION_KEY = "pagecache:public-version"
PAGE_TIMEOUT = 24 * 60 * 60  # an entry of an old version simply ages out
# Which request cookies make a page personal: the session (signed in) and a pending flash message.
PERSONAL_COOKIES = ("messages",)


def _new_version() -> dict:
    return {"token": uuid.uuid4().hex, "at": int(time.time())}


def public_version() -> dict:
    """The current content version: {"token": …, "at": epoch seconds of the last change}."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _new_version()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def new_public_version() -> None:
    """A new version now, outside any transaction (tests start each with one)."""
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def bump_public_version() -> None:
    """Call from any service that changes what the public sees. Bumped at once and again when the
    surrounding transaction commits, so a page rendered from the not-yet-committed state in between
    is never served after the commit."""
    new_public_version()
    transaction.on_commit(new_public_version)


def _personal(request) -> bool:
    cookies = (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)
    return request.method not in ("GET", "HEAD") or any(name in request.COOKIES for name in cookies)


def etag_for(version: dict, path: str) -> str:
    return quote_etag(hashlib.sha256(f"{version['token']}|{path}".encode()).hexdigest()[:32])


def _not_modified(request, etag: str, last_modified: int) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")] or if_none_match == "*"
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and last_modified <= since


def _public_headers(response, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    response.public_page = True  # PublicPageMiddleware drops Vary: Cookie


def page_key(path: str) -> str:
    """Where the page of `path` is kept; the entry holds the version it was rendered under."""
    return f"pagecache:page:{hashlib.sha256(path.encode()).hexdigest()[:32]}"


def _within(version: dict, refresh: int) -> dict:
    """The version for a page renewed every `refresh` seconds: the content version and the period."""
    period_start = int(time.time()) // refresh * refresh
    return {"token": f"{version['token']}:{period_start}", "at": max(version["at"], period_start)}


def public_page(view=None, *, refresh: int | None = None):
    """Decorate a function view (or `method_decorator(public_page, name="get")`) of a page that is
    the same for every anonymous visitor. With `refresh` (seconds), the page is also rendered anew
    that often: for a page that counts what no service announces with a bump (reads, meetings held)."""
    if view is None:
        return lambda view: public_page(view, refresh=refresh)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _personal(request):
            return view(request, *args, **kwargs)
        path = request.get_full_path()
        key = page_key(path)
        # One cache round trip for the version and the page (each trip builds a Redis client).
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or public_version()
        if refresh:
            version = _within(version, refresh)
        etag = etag_for(version, path)
        if _not_modified(request, etag, version["at"]):
            response = HttpResponseNotModified()
            _public_headers(response, etag, version["at"])
            return response
        stored = found.get(key)
        if stored is not None and stored["token"] == version["token"]:  # rendered under this version
            response = HttpResponse(stored["content"], content_type=stored["content_type"], status=stored["status"])
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a token: personal
            )
            if not cacheable:
                return response
            content = {
                "token": version["token"],
                "content": response.content,
                "content_type": response["Content-Type"],
                "status": 200,
            }
            cache.set(key, content, timeout=PAGE_TIMEOUT)
        _public_headers(response, etag, version["at"])
        return response

    wrapper.public_page = True
    return wrapper


def cached_for_version(name: str, compute):
    """`compute()` once per content version (e.g. a QR code of a notice), then from the cache."""
    key = f"pagecache:value:{public_version()['token']}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=PAGE_TIMEOUT)
    return value


class PublicPageMiddleware:
    """Sits above SessionMiddleware: a public page served to a visitor without cookies depends on
    nothing of theirs, so the `Vary: Cookie` the session layer adds (the navbar asks whether anyone
    is signed in) is taken off again; every other response keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "public_page", False) and response.has_header("Vary"):
            kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
