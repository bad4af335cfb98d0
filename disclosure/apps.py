from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _board_for_new_community(sender, instance, created, raw=False, **kwargs):
    """Every community gets its disclosure board the moment it exists."""
    if created and not raw:
        from .services import board_for_community

        board_for_community(community=instance)


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.CatalogItem,
            models.Board,
            models.Notice,
            models.NoticeStep,
            models.Attachment,
            models.FinanceLine,
            models.OpenMeeting,
        ):
            auditlog.register(model)
        auditlog.register(models.Feedback, mask_fields=["contact", "name"])
        post_save.connect(_board_for_new_community, sender="communities.Community", dispatch_uid="disclosure_board")
