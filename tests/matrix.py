"""The permission-matrix helper: request a URL as every persona and compare status codes."""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS = ("anonymous", "resident", "secretary_a", "secretary_b", "staff", "inspector", "auditor", "supervisor_a")

# The usual rows of a matrix; a test writes the exceptions as {**STAFF_ONLY, "auditor": 200}.
LOGIN = 302  # anonymous visitors are sent to the login page
STAFF_ONLY = {
    "anonymous": LOGIN,
    "resident": 403,
    "secretary_a": 403,
    "secretary_b": 403,
    "staff": 200,
    "inspector": 403,
    "auditor": 403,
    "supervisor_a": 403,  # 居务监督委员会 of community A: elsewhere a signed-in resident
}
STAFF_POST = {**STAFF_ONLY, "staff": 302}  # a staff action that redirects when done
READERS = {**STAFF_ONLY, "inspector": 200, "auditor": 200}  # staff and the read-only roles
SECRETARIES = {**STAFF_ONLY, "staff": 403, "secretary_a": 200, "secretary_b": 200}  # community secretaries only
PUBLIC = dict.fromkeys(PERSONAS, 200)


def status_for(user, url: str, method: str = "get", data=None) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


def check_matrix(personas: dict, url: str, expected: dict[str, int], method: str = "get", data=None) -> None:
    """`expected` maps every persona to its status; a redirect to the login page is 302."""
    assert set(expected) == set(PERSONAS), "the matrix must name every persona"
    got = {name: status_for(personas[name], url, method, data) for name in PERSONAS}
    assert got == expected, f"{method.upper()} {url}"


def url_names_of(app_namespace: str) -> set[str]:
    """Every URL name under `app_namespace` ("communities", or nested "a:b") as the resolver has them."""
    resolver = get_resolver()
    for part in app_namespace.split(":"):
        _prefix, resolver = resolver.namespace_dict[part]
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace is None:  # a plain include stays in this namespace
                    walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(resolver.url_patterns)
    return names


def assert_matrix_covers(app_namespace: str, checked_url_names) -> None:
    """Every URL of the app is in its permission matrix, and the matrix names no URL that is gone."""
    names = url_names_of(app_namespace)
    checked = set(checked_url_names)
    missing, unknown = names - checked, checked - names
    assert not missing, f"{app_namespace}: URLs missing from the permission matrix: {sorted(missing)}"
    assert not unknown, f"{app_namespace}: the matrix names URLs that do not exist: {sorted(unknown)}"
