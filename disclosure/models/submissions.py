"""What residents leave on the public pages: a question on a notice (`Feedback`) and an opinion on a
meeting's agenda (`MeetingOpinion`). Both wait for moderation before anyone else reads them, and
their contact details are for staff only, never public."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from disclosure.choices import FeedbackStatus
from jiedao.models import TimeStamped

__all__ = ["ResidentSubmission"]


class ResidentSubmission(TimeStamped):
    body = models.TextField(_("question or opinion"), max_length=2000)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    contact = models.CharField(_("contact details"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.PENDING, db_index=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.body[:40]

    @property
    def is_pending(self) -> bool:
        return self.status == FeedbackStatus.PENDING

    @property
    def is_shown(self) -> bool:
        return self.status == FeedbackStatus.PUBLISHED

    @property
    def is_rejected(self) -> bool:
        return self.status == FeedbackStatus.REJECTED
