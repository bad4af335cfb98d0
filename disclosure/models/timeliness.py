"""The boards' first publications, counted per day, for the sub-district's 公开及时率: how many
boards of a level first published an item's period on a day. Kept by
disclosure/services/first_publications.py as notices are published, withdrawn or deleted, so the
city's total is counted from a few thousand rows rather than from a year's notices (78,000 at
3,000 communities)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.choices import Level

__all__ = ["FirstPublicationDay"]


class FirstPublicationDay(models.Model):
    catalog_item = models.ForeignKey(
        "disclosure.CatalogItem", on_delete=models.CASCADE, related_name="+", verbose_name=_("catalogue item")
    )
    period_start = models.DateField(_("period from"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    day = models.DateField(_("day of first publication"))
    boards = models.PositiveIntegerField(_("boards"))

    class Meta:
        ordering = ["period_start", "catalog_item", "level", "day"]
        verbose_name = _("first publications on a day")
        verbose_name_plural = _("first publications by day")
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "catalog_item", "level", "day"], name="firstpublicationday_unique_day"
            )
        ]

    def __str__(self):
        return f"{self.catalog_item_id} {self.period_start} {self.level} {self.day}: {self.boards}"
