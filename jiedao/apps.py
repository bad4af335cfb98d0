from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JiedaoConfig(AppConfig):
    name = "jiedao"
    verbose_name = _("Sub-district")
