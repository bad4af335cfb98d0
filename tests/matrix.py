"""The permission-matrix helper: request a URL as every persona and compare status codes."""

from django.test import Client

PERSONAS = ("anonymous", "resident", "secretary_a", "secretary_b", "staff", "inspector", "auditor")


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
