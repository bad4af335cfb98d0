"""Two-factor sign-in (TOTP): required for auditors, superusers and staff who may reveal ID numbers;
optional for the others; a user with a device enters its code before any page."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

# Pages a signed-in user tries; a required role without the second factor reaches none of them.
PAGES = ("home", "jiedao:dashboard", "communities:community_list", "jiedao:audit_log", "notification_list")


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def revealer(make_user):
    from jiedao.permissions import Role

    user = make_user("revealer", Role.STAFF)
    user.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    return user


@pytest.fixture
def superuser(make_user):
    return make_user("root1", is_superuser=True, is_staff=True)


def _sign_in(user) -> Client:
    """The first step only: the password on the login page."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _later(device: TOTPDevice) -> None:
    """A wrong code throttles the device for a second or more: let that time pass (not sleeping)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(seconds=60)
    )


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.mark.parametrize("who", ["auditor", "superuser", "revealer"])
def test_required_roles_without_a_device_reach_no_page_but_the_set_up(request, who):
    user = request.getfixturevalue(who)
    client = _sign_in(user)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, (who, name)
        assert response["Location"] == reverse("accounts:two_factor_setup"), (who, name)
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200


def test_a_fragment_loaded_by_the_set_up_page_gets_a_refusal_not_the_set_up_page(auditor, staff):
    """The menu's 我的待办 count is loaded by htmx after the page: sent to the set-up page, htmx would
    swap a second set-up form into the menu (two 确认 buttons). It is refused instead (htmx swaps no
    refusal); a user who owes no second factor gets the count."""
    client = _sign_in(auditor)
    response = client.get(reverse("todo:badge"), headers={"HX-Request": "true"})
    assert response.status_code == 403 and b"form" not in response.content
    assert client.get(reverse("todo:badge")).status_code == 302  # a plain request is still sent to set up
    assert _sign_in(staff).get(reverse("todo:badge"), headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.parametrize("who", ["staff", "secretary_a", "inspector", "resident"])
def test_other_roles_sign_in_with_the_password_alone(request, who):
    user = request.getfixturevalue(who)
    client = _sign_in(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200  # they may set it up


def test_set_up_shows_the_key_and_a_qr_code_and_a_valid_code_confirms_it(auditor):
    client = _sign_in(auditor)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=auditor, confirmed=False)
    from jiedao.signin import device_secret

    assert device_secret(device) in page
    assert "<svg" in page and "otpauth://totp/" in page

    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": f"{(int(_code(device)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200 and "验证码" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302

    _later(device)
    right = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert right.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("jiedao:audit_log")).status_code == 200


@pytest.mark.parametrize("who", ["auditor", "superuser", "revealer"])
def test_with_a_device_a_valid_code_is_needed_before_any_page(request, who):
    user = request.getfixturevalue(who)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = _sign_in(user)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, (who, name)
        assert response["Location"].startswith(reverse("accounts:two_factor_verify")), (who, name)
    # the set-up page cannot be used to replace the device without the code
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 302

    verify = reverse("accounts:two_factor_verify")
    wrong = client.post(
        verify, {"token": f"{(int(_code(device)) + 500_000) % 10**6:06d}", "next": "/subdistrict/audit/"}
    )
    assert wrong.status_code == 200
    assert client.get(reverse("home")).status_code == 302

    _later(device)
    right = client.post(verify, {"token": _code(device), "next": "/subdistrict/dashboard/"})
    assert right.status_code == 302 and right["Location"] == "/subdistrict/dashboard/"
    assert client.get(reverse("home")).status_code == 200


def test_an_optional_device_is_asked_for_too(secretary_a):
    device = TOTPDevice.objects.create(user=secretary_a, name="app", confirmed=True)
    client = _sign_in(secretary_a)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)})
    assert client.get(reverse("home")).status_code == 200


def test_a_code_is_not_accepted_twice(auditor):
    device = TOTPDevice.objects.create(user=auditor, name="app", confirmed=True)
    code = _code(device)
    first = _sign_in(auditor)
    assert first.post(reverse("accounts:two_factor_verify"), {"token": code}).status_code == 302
    second = _sign_in(auditor)
    assert second.post(reverse("accounts:two_factor_verify"), {"token": code}).status_code == 200


def test_the_next_address_stays_on_this_site(auditor):
    device = TOTPDevice.objects.create(user=auditor, name="app", confirmed=True)
    client = _sign_in(auditor)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("todo:list")  # 我的待办, never the other site


def test_switched_off_the_required_roles_sign_in_with_the_password(settings, auditor):
    settings.OTP_REQUIRED = False
    client = _sign_in(auditor)
    assert client.get(reverse("jiedao:audit_log")).status_code == 200


def test_it_is_on_unless_switched_off():
    """The default of the settings module (tests switch it off in tests/conftest.py)."""
    import importlib
    import os

    import jiedao.settings as module

    saved = os.environ.pop("OTP_REQUIRED", None)
    try:
        assert importlib.reload(module).OTP_REQUIRED is True
        os.environ["OTP_REQUIRED"] = "false"
        assert importlib.reload(module).OTP_REQUIRED is False
    finally:
        os.environ.pop("OTP_REQUIRED", None)
        if saved is not None:
            os.environ["OTP_REQUIRED"] = saved
        importlib.reload(module)


def test_make_run_switches_it_off_and_says_so():
    from pathlib import Path

    makefile = Path(__file__).resolve().parents[2] / "Makefile"
    run = makefile.read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "OTP_REQUIRED=false" in run and "两步验证" in run
