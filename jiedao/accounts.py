"""Account pages of every signed-in user (password change, two-factor set-up and sign-in) and the
staff's page of locked accounts."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from jiedao import signin
from jiedao.permissions import ACCOUNT_UNLOCK_ROLES, RoleRequiredMixin


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "jiedao/account_password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "jiedao/account_password_change_done.html"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": gettext_lazy("Enter the six digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)  # 我的待办, as after a one-step sign-in


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """两步验证设置: the secret as text and as a QR code of its otpauth URI; a code from the app confirms it."""

    template_name = "jiedao/account_two_factor_setup.html"
    form_class = TokenForm

    def get_context_data(self, **kwargs):
        device = signin.pending_device(self.request.user)
        uri = device.config_url
        return super().get_context_data(
            secret=signin.device_secret(device),
            otpauth_uri=uri,
            qr_svg=segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for the authenticator app")),
            required=signin.two_factor_required(self.request.user),
            has_device=signin.user_has_device(self.request.user, confirmed=True),
            **kwargs,
        )

    def form_valid(self, form):
        device = signin.pending_device(self.request.user)
        if not signin.confirm_device(self.request, device, form.cleaned_data["token"]):
            form.add_error("token", _("The code is wrong or has expired. Check the time on your phone and try again."))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Two-factor sign-in is set up. You will be asked for a code when you sign in.")
        )
        return redirect(settings.LOGIN_REDIRECT_URL)


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of signing in: the current code of the user's authenticator app."""

    template_name = "jiedao/account_two_factor_verify.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not signin.user_has_device(user, confirmed=True):
            return redirect("accounts:two_factor_setup")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_safe_next(self.request), **kwargs)

    def form_valid(self, form):
        if not signin.verify_sign_in(self.request, form.cleaned_data["token"]):
            form.add_error("token", _("The code is wrong or has expired."))
            return self.form_invalid(form)
        return redirect(_safe_next(self.request))


class LockedAccountListView(RoleRequiredMixin, TemplateView):
    """锁定的账号: accounts locked by wrong passwords now, with when each lock ends (staff)."""

    roles = ACCOUNT_UNLOCK_ROLES
    template_name = "jiedao/account_locked_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(locked=signin.locked_accounts(), **kwargs)


class UnlockAccountView(RoleRequiredMixin, View):
    roles = ACCOUNT_UNLOCK_ROLES
    http_method_names = ["post"]

    def post(self, request):
        username = request.POST.get("username", "")
        if signin.unlock_account(username=username, actor=request.user):
            messages.success(request, _("The account %(username)s is unlocked.") % {"username": username})
        else:
            messages.info(request, _("The account %(username)s was not locked.") % {"username": username})
        return redirect("accounts:locked_accounts")
