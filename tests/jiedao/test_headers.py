"""Headers: a Content-Security-Policy on every HTML page; no-store on everything a signed-in user
receives (pages and exports with personal data); public anonymous pages stay cacheable."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_an_html_page_carries_a_strict_policy(client):
    policy = _directives(client.get(reverse("login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline scripts, no eval
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("script-src", [])


def test_signed_in_pages_and_exports_are_not_stored(client, staff, community_a):
    client.force_login(staff)
    for url in (reverse("home"), reverse("communities:community_list"), reverse("jiedao:subdistrict_year_export")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert "Content-Security-Policy" in response


def test_a_roster_export_with_personal_data_is_not_stored(client, staff, community_a):
    client.force_login(staff)
    response = client.get(reverse("communities:partymember_export"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_anonymous_public_board_is_not_marked_no_store(client):
    response = client.get(reverse("gongkai:board_index"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_templates_hold_no_inline_script_or_handler():
    """What the policy would block: inline <script> bodies and on*= attributes."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    bad = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1):
                bad.append(f"{path.relative_to(root)}: inline script")
        if re.search(r"\son[a-z]+\s*=", text):
            bad.append(f"{path.relative_to(root)}: event handler attribute")
        if "javascript:" in text:
            bad.append(f"{path.relative_to(root)}: javascript: URL")
    assert not bad, bad
