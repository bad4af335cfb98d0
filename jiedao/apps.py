from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JiedaoConfig(AppConfig):
    name = "jiedao"
    verbose_name = _("Sub-district")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Profile, SubDistrictYear, WorkdayOverride

        auditlog.register(SubDistrictYear)
        auditlog.register(WorkdayOverride)
        auditlog.register(Profile, mask_fields=["phone"])
