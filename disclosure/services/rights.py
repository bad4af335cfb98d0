"""Counting reads of public notices for the 四权 index's 知情 part: one row per notice and day,
incremented in the database (no read-modify-write), nothing about the reader kept. Not audited:
a counter of anonymous page views is not a change anyone makes."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from disclosure.models import Notice, NoticeReadDay

__all__ = ["notice_read_count"]


def notice_read_count(*, notice: Notice, qr: bool = False, day=None) -> None:
    """One more read of `notice` today (and one more QR scan when it came from the printed board)."""
    day = day or timezone.localdate()
    increments = {"reads": F("reads") + 1, **({"qr_scans": F("qr_scans") + 1} if qr else {})}
    if NoticeReadDay.objects.filter(notice=notice, day=day).update(**increments):
        return
    try:
        with transaction.atomic():
            NoticeReadDay.objects.create(notice=notice, day=day, reads=1, qr_scans=int(qr))
    except IntegrityError:  # another request created today's row first
        NoticeReadDay.objects.filter(notice=notice, day=day).update(**increments)
