"""Reads of public notices, for the 知情 part of the 四权 index: one row per notice and day, two
counters (every read of the online copy, and the scans of the printed board's QR code among them).
Counted by a beacon from the public page and by the QR code's redirect, so the cached public pages
stay cached; nothing about the reader is stored."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.permissions import ScopedQuerySet

__all__ = ["NoticeReadDay"]


class NoticeReadDay(models.Model):
    community_lookup = "notice__board__community"

    notice = models.ForeignKey(
        "disclosure.Notice", on_delete=models.CASCADE, related_name="read_days", verbose_name=_("notice")
    )
    day = models.DateField(_("day"))
    reads = models.PositiveIntegerField(_("reads"), default=0)
    qr_scans = models.PositiveIntegerField(_("QR code scans"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["notice", "day"]
        verbose_name = _("notice reads on a day")
        verbose_name_plural = _("notice reads by day")
        constraints = [models.UniqueConstraint(fields=["notice", "day"], name="noticereadday_unique_day")]

    def __str__(self):
        return f"{self.notice_id} {self.day}: {self.reads}"
