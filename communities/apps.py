from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Cadre, Community, CommunityYear, MonthlyUpdate, PartyMember
        from .services.tallies import monthly_update_written

        timestamps = ["created_at", "updated_at"]  # not changes anyone made
        auditlog.register(Community, exclude_fields=timestamps)
        auditlog.register(Cadre, exclude_fields=timestamps)
        auditlog.register(CommunityYear, exclude_fields=timestamps)
        # Stored already masked as a role without the reveal permission sees it (jiedao.identity):
        # the ID's last four, no birth date.
        auditlog.register(
            PartyMember,
            exclude_fields=timestamps,
            mask_fields=["id_number", "mobile", "birth_date"],
            mask_callable="jiedao.personal_numbers.mask_audit_value",
        )
        # 党费 and the 三会一课 register (issue 14)
        for name in ("DuesRateBand", "DuesBase", "DuesPayment", "DuesLapseReview", "PartyMeeting", "MeetingPhoto"):
            auditlog.register(self.get_model(name), exclude_fields=timestamps)
        auditlog.register(self.get_model("MeetingAttendance"), exclude_fields=[*timestamps, "signed_at"])
        # the organisation tree, people and their membership records (issue 14)
        for name in ("PartyOrganisation", "OrgPost", "Recruit", "Transfer"):
            auditlog.register(self.get_model(name), exclude_fields=timestamps)
        auditlog.register(
            self.get_model("Person"),
            exclude_fields=timestamps,
            mask_fields=["id_number", "mobile", "birth_date"],
            mask_callable="jiedao.personal_numbers.mask_audit_value",
        )
        auditlog.register(
            self.get_model("FlowRecord"),
            exclude_fields=timestamps,
            mask_fields=["contact"],
            mask_callable="jiedao.personal_numbers.mask_audit_value",
        )
        for name in ("MonthlyUpdate", "MonthlyUpdateEvent", "MonthlyUpdatePhoto"):
            auditlog.register(self.get_model(name))
        # the months' counts by status (MonthlyTally), kept as updates are written
        post_save.connect(monthly_update_written, sender=MonthlyUpdate, dispatch_uid="communities_monthly_tally")
        post_delete.connect(monthly_update_written, sender=MonthlyUpdate, dispatch_uid="communities_monthly_tally")
