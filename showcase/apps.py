from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "showcase"
    verbose_name = _("Demonstration sites")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Funding, Inspection, Photo, Programme, Rectification, Site, Standard, StandardCheck

        for model in (Programme, Standard, Site, StandardCheck, Funding, Photo):
            auditlog.register(model)
        auditlog.register(Rectification)
        auditlog.register(Inspection, m2m_fields={"sites"})
