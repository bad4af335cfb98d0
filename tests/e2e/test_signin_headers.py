"""In Chromium: the Content-Security-Policy blocks nothing the portal needs on its main pages, and a
role that must use two-factor sign-in sets it up and signs in with the code."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_PAGES = (
    "home",
    "communities:community_list",
    "jiedao:dashboard",
    "jiedao:annual_report_list",
    "disclosure:notice_list",
    "showcase:programme_list",
    "assessment:cycle_list",
    "accounts:password_change",
    "accounts:two_factor_setup",
    "accounts:locked_accounts",
)
PUBLIC_PAGES = ("login", "gongkai:board_index", "shifan:showcase", "ceping:start")


def _watch(page) -> list[str]:
    """Console errors and CSP violations reported by the page."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _csp_errors(problems):
    return [p for p in problems if "Content Security Policy" in p or "Refused to" in p]


def test_the_main_pages_raise_no_csp_violation(page, staff, community_a):
    problems = _watch(page)
    for name in PUBLIC_PAGES:
        response = page.goto(reverse(name))
        assert response.ok, name
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    login(page, staff)
    for name in STAFF_PAGES:
        response = page.goto(reverse(name))
        assert response.ok, name
        assert "no-store" in response.headers["cache-control"], name
        assert page.evaluate("typeof htmx") == "object", name  # our own scripts ran
    # the user menu (Bootstrap's dropdown, a script) opens and leads to the password page
    page.locator("#user-menu").click()
    page.get_by_role("link", name="修改密码").click()
    page.wait_for_url("**" + reverse("accounts:password_change"))
    assert not _csp_errors(problems), problems


def test_an_auditor_sets_up_two_factor_sign_in_and_then_needs_the_code(page, auditor, settings):
    settings.OTP_REQUIRED = True
    problems = _watch(page)
    login(page, auditor)
    page.wait_for_url("**" + reverse("accounts:two_factor_setup"))
    assert page.locator("#otp-qr svg").count() == 1
    device = TOTPDevice.objects.get(user=auditor, confirmed=False)
    page.get_by_label("六位验证码").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="确认").click()
    page.goto(reverse("jiedao:audit_log"))
    assert page.url.endswith(reverse("jiedao:audit_log"))

    # a new sign-in asks for the code before any page
    page.context.clear_cookies()
    login(page, auditor)
    page.goto(reverse("jiedao:audit_log"))
    assert reverse("accounts:two_factor_verify") in page.url
    device.refresh_from_db()
    page.get_by_label("六位验证码").fill(f"{totp(device.bin_key, drift=1):06d}")  # the next step: not a replay
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("jiedao:audit_log"))
    assert not _csp_errors(problems), problems
