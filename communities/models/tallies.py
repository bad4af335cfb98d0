"""Monthly updates counted per month and status, for the dashboard's 月度报告报送率. Kept by
communities/services/tallies.py as updates are written, so the city's rate is read from twelve rows
a year rather than counted from a row per community and month (72,000 a year at 3,000
communities)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.choices import MonthlyStatus

__all__ = ["MonthlyTally"]


class MonthlyTally(models.Model):
    """One month: how many communities' updates stand in each status (a field per MonthlyStatus)."""

    period = models.DateField(_("month"), unique=True)
    draft = models.PositiveIntegerField(MonthlyStatus.DRAFT.label, default=0)
    submitted = models.PositiveIntegerField(MonthlyStatus.SUBMITTED.label, default=0)
    returned = models.PositiveIntegerField(MonthlyStatus.RETURNED.label, default=0)
    accepted = models.PositiveIntegerField(MonthlyStatus.ACCEPTED.label, default=0)

    class Meta:
        ordering = ["period"]
        verbose_name = _("monthly updates of a month")
        verbose_name_plural = _("monthly updates by month")

    def __str__(self):
        return f"{self.period:%Y-%m}"

    def count(self, status: str) -> int:
        return getattr(self, status)
