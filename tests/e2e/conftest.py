"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Use the `page` fixture (a fresh browser context per test), `phone_page` for a phone-sized
viewport, `login(page, user)` to sign in through the real login form, and
`assert_accessible(page)` to run axe-core on the current page. The Chromium itself is the
session-wide `browser` fixture of tests/conftest.py.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TEST_PASSWORD = "pw-for-tests-1"  # what tests/conftest.py's make_user sets


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, user, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_load_state()


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the current page."""
    # evaluated, not added as a <script>: the site's Content-Security-Policy blocks inline scripts
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)
