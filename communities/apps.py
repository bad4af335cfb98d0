from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Cadre, Community, CommunityYear, PartyMember

        auditlog.register(Community)
        auditlog.register(Cadre)
        auditlog.register(CommunityYear)
        auditlog.register(PartyMember, mask_fields=["id_number", "mobile"])
        for name in ("MonthlyUpdate", "MonthlyUpdateEvent", "MonthlyUpdatePhoto"):
            auditlog.register(self.get_model(name))
