"""Sub-district-wide reads."""

from auditlog.models import LogEntry
from django.db.models import QuerySet

from jiedao.models import Notification, SubDistrictYear


def subdistrict_years() -> QuerySet[SubDistrictYear]:
    return SubDistrictYear.objects.order_by("-year")


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def audit_entries() -> QuerySet[LogEntry]:
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
