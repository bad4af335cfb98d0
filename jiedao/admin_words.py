"""The Django admin in Chinese where the project's catalogue must help.

- django-axes, django-otp and a few of Django 5.2's own admin words have no Simplified Chinese
  catalogue: their msgids are listed here (gettext_noop) so that `make messages` keeps them in
  the project's catalogue, which translates them.
- django-otp's TOTP model and some third-party apps have plain-string names: `localise_admin_names`
  (called from JiedaoConfig.ready) gives them translatable ones.
- Permission names are stored in English in the database ("Can add community", and the project's
  "Can see full ID and mobile numbers"); `permission_label` shows them in Chinese in the group
  and user forms.
"""

from django.apps import apps
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

THIRD_PARTY_MSGIDS = (
    # django-axes (models and admin)
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Logout Time"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Expires At"),
    # Django 5.2's admin index (accessibility headers not yet in Django's Chinese catalogue)
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)

ACTION_LABELS = {
    "add": gettext_noop("Can add %(model)s"),
    "change": gettext_noop("Can change %(model)s"),
    "delete": gettext_noop("Can delete %(model)s"),
    "view": gettext_noop("Can view %(model)s"),
}

APP_NAMES = {  # app label: (module, name)
    "axes": ("axes", _("Sign-in lockout")),
    "otp_totp": ("django_otp.plugins.otp_totp", _("Two-factor sign-in")),
}


def localise_admin_names() -> None:
    """Translatable names for third-party apps and models whose own names are plain strings."""
    for label, (module, name) in APP_NAMES.items():
        if apps.is_installed(module):
            apps.get_app_config(label).verbose_name = name
    if apps.is_installed("django_otp.plugins.otp_totp"):
        meta = apps.get_model("otp_totp", "TOTPDevice")._meta
        meta.verbose_name = _("TOTP device")
        meta.verbose_name_plural = _("TOTP devices")


def permission_label(permission) -> str:
    """ "应用 | 模型 | 可修改社区" for a permission whose name the database holds in English."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return gettext(permission.name)
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTION_LABELS and model_name == model._meta.model_name:
        name = gettext(ACTION_LABELS[action]) % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {model._meta.verbose_name} | {name}"
