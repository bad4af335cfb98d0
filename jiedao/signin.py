"""Sign-in to the 等保 level: password policy, lockout page and unlock, idle timeout, two-factor
sign-in (TOTP) and the no-store header on every signed-in response."""

import time
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiedao.audit import EVENT_LABELS, log_event
from jiedao.permissions import Role, can_reveal_identity, ensure_can_unlock_accounts, has_role

# Labels of this module's audit events on the audit page.
EVENT_LABELS.setdefault("two_factor", gettext_lazy("Two-factor sign-in"))
EVENT_LABELS.setdefault("sign_in_lock", gettext_lazy("Sign-in lock"))

IDLE_KEY = "jiedao_last_activity"
NO_DEVICE_KEY = "jiedao_no_otp_device"


def _clock() -> float:
    """Seconds now; tests move it instead of sleeping."""
    return time.time()


# -- password policy ----------------------------------------------------------------------------


class PasswordPolicyValidator:
    """A password has at least `min_length` characters and mixes at least `min_classes` of: upper
    case, lower case, digits, other characters."""

    def __init__(self, min_length: int = 10, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        kinds = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())
        return sum(any(kind(c) for c in password) for kind in kinds)

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("The password is too short: it must have at least %(length)d characters.")
                    % {"length": self.min_length},
                    code="password_too_short",
                )
            )
        if self.classes_in(password) < self.min_classes:
            errors.append(ValidationError(self._classes_text(), code="password_too_simple"))
        if errors:
            raise ValidationError(errors)

    def _classes_text(self):
        return _(
            "The password must contain at least %(count)d of: upper-case letters, lower-case letters, "
            "digits and other characters."
        ) % {"count": self.min_classes}

    def get_help_text(self):
        return _("At least %(length)d characters.") % {"length": self.min_length} + " " + self._classes_text()


# -- lockout ------------------------------------------------------------------------------------


def _recent_failures(**filters):
    """Failures within the cool-off, summed per account over every address and browser (axes keeps
    one record per account, address and browser)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    return (
        AccessAttempt.objects.filter(attempt_time__gt=timezone.now() - get_cool_off(), **filters)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )


def lock_ends_at(username: str):
    """When the lock of `username` ends: the cool-off after its latest failure; None if unlocked."""
    from axes.helpers import get_cool_off

    row = _recent_failures(username=username).order_by("-latest").first()
    return None if row is None else row["latest"] + get_cool_off()


def lockout_response(request, original_response, credentials):
    """The lock page (axes' AXES_LOCKOUT_CALLABLE): says in Chinese until when the account is locked."""
    from axes.helpers import get_client_username

    username = get_client_username(request, credentials) or ""
    context = {"username": username, "lock_ends": lock_ends_at(username) if username else None}
    return render(request, "registration/locked_out.html", context, status=429)


def locked_accounts() -> list[dict]:
    """Accounts locked now, each {username, user, ends}, the soonest-ending last."""
    from axes.helpers import get_cool_off

    locks = {row["username"]: row["latest"] + get_cool_off() for row in _recent_failures()}
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=list(locks))}
    rows = [{"username": name, "user": users.get(name), "ends": ends} for name, ends in locks.items()]
    return sorted(rows, key=lambda row: row["ends"], reverse=True)


def unlock_account(*, username: str, actor) -> int:
    """Clear the failures of `username` (so it can sign in at once); audited on the user when one
    exists. Returns how many failure records were removed."""
    from axes.utils import reset

    ensure_can_unlock_accounts(actor)
    with transaction.atomic():
        removed = reset(username=username)
        user = get_user_model().objects.filter(username=username).first()
        if removed and user is not None:
            log_event(user, actor=actor, changes={"sign_in_lock": (_("locked"), _("unlocked"))})
    return removed


# -- two-factor sign-in -------------------------------------------------------------------------


def two_factor_required(user) -> bool:
    """Auditors, superusers and staff who may reveal ID numbers must sign in with a second factor."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, Role.AUDITOR) or can_reveal_identity(user)


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device being set up (made on first visit, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def device_secret(device: TOTPDevice) -> str:
    """The key as an authenticator app types it in (base32)."""
    return b32encode(device.bin_key).decode()


def confirm_device(request, device: TOTPDevice, token: str) -> bool:
    """Confirm a device being set up with a code from it: it becomes the user's only confirmed
    device, the session counts as verified, and the set-up is audited."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_event(device.user, actor=request.user, changes={"two_factor": ("", _("set up"))})
    otp_login(request, device)
    return True


def verify_sign_in(request, token: str) -> bool:
    """Check a code against the user's confirmed devices; on success the session is verified."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    return False


# -- middleware ---------------------------------------------------------------------------------


def _start_session(sender, request, user, **kwargs):
    """At sign-in: the idle clock starts, and whether the user has a device is looked up once, so a
    signed-in request costs no extra query or session write."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[IDLE_KEY] = _clock()
    if not user_has_device(user, confirmed=True):
        session[NO_DEVICE_KEY] = True


def connect_signals() -> None:
    user_logged_in.connect(_start_session, dispatch_uid="jiedao.signin.start_session")


def _login_redirect(request, message: str):
    messages.warning(request, message)
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()}) if request.method == "GET" else ""
    return redirect(f"{reverse(settings.LOGIN_URL)}{'?' + query if query else ''}")


def _fragment(request) -> bool:
    """A fragment a page loads after it (the menu's 我的待办 count): sent to the set-up or code page,
    htmx would swap that whole page into the menu; a 403 is not swapped and adds no message."""
    return bool(request.headers.get("HX-Request"))


class SignInMiddleware:
    """For signed-in requests: end idle sessions, demand the second factor before any page, and
    mark every response `Cache-Control: private, no-store` (pages and exports with personal data
    must not stay in a browser's or a proxy's cache). Anonymous public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _exempt(request, *names) -> bool:
        """Paths a user who still owes the second factor may reach."""
        path = request.path_info
        return path in {reverse(name) for name in ("logout", *names)} or path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        )

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        if signed_in:
            response = self._check(request)
            if response is None:
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response

    def _check(self, request):
        now = _clock()
        last = request.session.get(IDLE_KEY)
        if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
            logout(request)
            return _login_redirect(
                request,
                _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                % {"minutes": settings.SESSION_IDLE_MINUTES},
            )
        if last is None or now - last >= 60:  # a session write at most once a minute
            request.session[IDLE_KEY] = now
        user = request.user
        if user.is_verified():
            return None
        # A user with a device enters its code before any page (set-up included). Whether there is
        # one is looked up once per session (a device set up in it verifies the session at once).
        if not request.session.get(NO_DEVICE_KEY):
            if user_has_device(user, confirmed=True):
                if self._exempt(request, "accounts:two_factor_verify"):
                    return None
                if _fragment(request):
                    return HttpResponseForbidden()
                return redirect(
                    f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.get_full_path()})}"
                )
            request.session[NO_DEVICE_KEY] = True
        if two_factor_required(user) and not self._exempt(request, "accounts:two_factor_setup"):
            if _fragment(request):
                return HttpResponseForbidden()
            messages.info(request, _("Your role requires two-factor sign-in. Please set it up first."))
            return redirect("accounts:two_factor_setup")
        return None
