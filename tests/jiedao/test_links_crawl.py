"""No link leads to a page its reader may not open (finding 18). Over the demo sub-district
(seed_demo), each role's pages are crawled from its home (我的待办 and the public home): every
internal link is followed, up to a bound per role, and none answers 403, 404 or 500."""

import io
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from jiedao.permissions import Role, users_with_role

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"', re.I)
# Not followed: the admin (superusers only, its own app), files that are built or downloaded (each
# has its own permission tests), sign-out, and the public vote (a code is needed).
SKIP = re.compile(
    r"^/(admin/|accounts/logout|static/|media/)|/(export|download|template|slips)(/|\?|$)|\.(pdf|xlsx|csv)$"
)
LIMIT = 300  # pages per role


def links_of(html: str, base: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(path):
            found.append(path)
    return found


def crawl(client: Client, start: list[str], limit: int = LIMIT) -> tuple[list[str], dict[str, tuple[int, str]]]:
    """Breadth-first over internal links from `start`: (pages seen, {url: (status, linked from)} of bad ones)."""
    queue, seen, bad = deque((url, "(start)") for url in start), set(), {}
    while queue and len(seen) < limit:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (403, 404, 405) or response.status_code >= 500:
            bad[url] = (response.status_code, referrer)
            continue
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"])
            if target.path.startswith("/accounts/login"):
                bad[url] = (response.status_code, referrer)  # a signed-in reader sent to sign in: no access
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(response.content.decode(), url):
            if link not in seen:
                queue.append((link, url))
    return sorted(seen), bad


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--password", "demo-pass-123", stdout=io.StringIO())


@pytest.mark.django_db
def test_no_role_meets_a_link_it_may_not_follow(demo):
    users = get_user_model().objects
    readers = {
        "staff": users.get(username="staff"),
        "approver": users.get(username="shenpi"),
        "secretary": users.get(username="shuji-sq01"),
        "inspector": users.get(username="inspector"),
        "auditor": users.get(username="auditor"),
    }
    for role in (Role.MEMBER, Role.SUPERVISOR):  # their demo accounts, once the demo has them
        someone = users_with_role(role).first()
        if someone is not None:
            readers[str(role)] = someone
    report = []
    for role, user in readers.items():
        client = Client()
        client.force_login(user)
        seen, bad = crawl(client, ["/todo/", "/"])
        assert len(seen) > 20, f"{role} reached only {seen}"
        report += [f"{role}: {status} {url} (linked from {came_from})" for url, (status, came_from) in bad.items()]
    assert not report, "\n".join(report)


def test_the_crawler_reads_links_as_a_browser_would():
    html = '<a href="/a/?x=1&amp;y=2#top">a</a> <a href="b/">b</a> <a href="https://example.org/">x</a>'
    html += ' <a href="/communities/1/export/">e</a> <a href="mailto:a@b">m</a>'
    assert links_of(html, "/c/") == ["/a/?x=1&y=2", "/c/b/"]


@pytest.mark.django_db
def test_the_secretarys_dashboard_points_to_no_report_they_may_not_read(client, secretary_a, staff):
    client.force_login(secretary_a)
    page = client.get("/subdistrict/dashboard/").content.decode()
    assert "年度报告" not in page and "/subdistrict/reports/" not in page
    assert client.get("/subdistrict/reports/").status_code == 403  # why: the report is staff's
    client.force_login(staff)
    assert "/subdistrict/reports/" in client.get("/subdistrict/dashboard/").content.decode()
