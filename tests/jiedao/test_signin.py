"""Sign-in to the 等保 level: lockout whatever the address, staff unlock, idle timeout, password change."""

import pytest
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from jiedao import signin
from tests.e2e.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _guess(address: str, username: str, password: str):
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("login"), {"username": username, "password": password})


def test_twenty_guesses_over_five_addresses_lock_the_account_until_a_time_the_page_names(secretary_a, staff):
    addresses = [f"198.51.100.{n}" for n in range(1, 6)]
    answers = [_guess(addresses[i % 5], secretary_a.username, f"wrong-{i}") for i in range(20)]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # the form again, with an error
    assert all(a.status_code == 429 for a in answers[4:]), "the fifth failure must lock the account"

    # the right password from a sixth address is refused too, and the page says when the lock ends
    locked = _guess("203.0.113.9", secretary_a.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.wsgi_request.session
    latest = AccessAttempt.objects.filter(username=secretary_a.username).latest("attempt_time").attempt_time
    ends = timezone.localtime(latest + get_cool_off())
    page = locked.content.decode()
    assert "账号已锁定" in page or "帐号已锁定" in page
    assert date_format(ends, "Y-m-d H:i") in page
    assert ends - timezone.now() > timezone.timedelta(minutes=29)

    # staff see it on the locked-accounts page and unlock it; the right password then works
    desk = Client()
    desk.force_login(staff)
    listing = desk.get(reverse("accounts:locked_accounts"))
    assert secretary_a.username in listing.content.decode()
    done = desk.post(reverse("accounts:unlock_account"), {"username": secretary_a.username}, follow=True)
    assert "已解锁" in done.content.decode()
    signed_in = _guess("198.51.100.1", secretary_a.username, TEST_PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in.wsgi_request.user == secretary_a


def test_the_unlock_is_audited_and_refused_to_others(secretary_a, secretary_b, staff):
    from auditlog.models import LogEntry

    for i in range(5):
        _guess(f"198.51.100.{i}", secretary_b.username, "wrong")
    refused = Client()
    refused.force_login(secretary_a)
    assert refused.post(reverse("accounts:unlock_account"), {"username": secretary_b.username}).status_code == 403
    assert signin.lock_ends_at(secretary_b.username) is not None

    signin.unlock_account(username=secretary_b.username, actor=staff)
    assert signin.lock_ends_at(secretary_b.username) is None
    entry = LogEntry.objects.get_for_object(secretary_b).latest("timestamp")
    assert entry.actor == staff
    assert "sign_in_lock" in entry.changes_dict


def test_failures_older_than_the_window_are_forgotten(secretary_a, monkeypatch):
    for i in range(4):
        _guess(f"198.51.100.{i}", secretary_a.username, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=31))
    assert _guess("198.51.100.9", secretary_a.username, "wrong").status_code == 200
    assert _guess("198.51.100.9", secretary_a.username, TEST_PASSWORD).status_code == 302


# -- idle sessions ---------------------------------------------------------------------------


def test_an_idle_session_ends_after_thirty_minutes_with_a_chinese_message(secretary_a, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(signin, "_clock", lambda: now[0])
    client = Client()
    client.force_login(secretary_a)
    assert client.get(reverse("home")).status_code == 200

    now[0] += 29 * 60  # still active
    assert client.get(reverse("jiedao:dashboard")).status_code == 200

    now[0] += 31 * 60
    response = client.get(reverse("jiedao:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert "_auth_user_id" not in client.session
    assert "30 分钟" in page.content.decode() or "30分钟" in page.content.decode()


def test_the_idle_limit_is_a_setting(secretary_a, monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES = 5
    now = [1_800_000_000.0]
    monkeypatch.setattr(signin, "_clock", lambda: now[0])
    client = Client()
    client.force_login(secretary_a)
    client.get(reverse("home"))
    now[0] += 6 * 60
    assert client.get(reverse("jiedao:dashboard")).status_code == 302


# -- password change and policy ---------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Ab1-xyz", "abcdefghijk1", "ABCDEFGHIJ-", "abcdefghij--", "1234567890ab"],
    ids=["short", "two-classes", "upper-other", "lower-other", "digits-lower"],
)
def test_the_policy_refuses_short_or_simple_passwords_in_chinese(password):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_password(password)
        text = " ".join(refused.value.messages)
    assert any("\u4e00" <= c <= "\u9fff" for c in text), text


@pytest.mark.parametrize("password", ["Abcdefgh1jk", "abcdefgh1-k", "ABCDEFG-123"])
def test_the_policy_accepts_ten_characters_of_three_classes(password):
    validate_password(password)


def test_every_signed_in_user_changes_their_password_from_the_user_menu(personas):
    for name, user in personas.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert reverse("accounts:password_change") in home, name
        weak = client.post(
            reverse("accounts:password_change"),
            {"old_password": TEST_PASSWORD, "new_password1": "abcdefghij", "new_password2": "abcdefghij"},
        )
        assert weak.status_code == 200 and "至少" in weak.content.decode(), name
        new = f"Neu-{name}-2026"
        done = client.post(
            reverse("accounts:password_change"),
            {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert done.status_code == 302, name
        assert client.get(reverse("home")).wsgi_request.user == user  # the session survives the change
        assert get_user_model().objects.get(pk=user.pk).check_password(new)


def test_a_session_ended_by_signing_out_cannot_be_replayed_though_sessions_are_read_through_the_cache(staff, settings):
    assert settings.SESSION_ENGINE.endswith("cached_db")  # as deployed: Redis in front of the database
    client = Client()
    client.force_login(staff)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("jiedao:dashboard")).status_code == 200  # the session now sits in the cache
    client.post(reverse("logout"))

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = thief.get(reverse("jiedao:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_changing_the_password_ends_the_sessions_on_other_devices(staff, settings):
    phone, desk = Client(), Client()
    phone.force_login(staff)
    desk.force_login(staff)
    assert phone.get(reverse("jiedao:dashboard")).status_code == 200
    new = "Neu-staff-2026"
    done = desk.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert desk.get(reverse("jiedao:dashboard")).status_code == 200
    response = phone.get(reverse("jiedao:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
