"""The 三会一课 and 主题党日 register: one record per meeting of a 党支部 or 党小组, with its
attendance (ticked by the secretary or signed in by members from the meeting's QR code).
应到 is computed from the membership on the meeting's date, 实到 from the attendance."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.choices import OrgKind
from communities.models import PartyMember
from communities.models.organisation import PartyOrganisation
from communities.validators import PHOTO_TYPES, validate_photo
from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("Branch general meeting")  # 支部党员大会
    COMMITTEE = "committee", _("Branch committee meeting")  # 支委会
    GROUP = "group", _("Party group meeting")  # 党小组会
    LECTURE = "lecture", _("Party lecture")  # 党课
    THEME_DAY = "theme_day", _("Themed party day")  # 主题党日: its own kind, not one of 三会一课


# 三会一课 proper; 主题党日 is counted on its own everywhere.
THREE_MEETINGS_ONE_LESSON = (MeetingKind.GENERAL, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE)


class AttendanceMode(models.TextChoices):
    TICKED = "ticked", _("Ticked by the secretary")
    QR = "qr", _("Signed in with the QR code")


class PartyMeeting(TimeStamped):
    community_lookup = "organisation__community"
    objects = ScopedQuerySet.as_manager()

    organisation = models.ForeignKey(
        PartyOrganisation, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("party organisation")
    )
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topics (议题)"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Part of the sign-in token, so that a new key makes every printed QR code of the meeting void.
    signin_key = models.UUIDField(_("sign-in key"), default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("party meeting")
        verbose_name_plural = _("party meetings")
        indexes = [models.Index(fields=["organisation", "kind", "held_on"], name="partymeeting_org_kind_day")]

    def __str__(self):
        return f"{self.organisation} {self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("partylife:meeting_detail", args=[self.pk])

    def clean(self):
        super().clean()
        org = getattr(self, "organisation", None) if self.organisation_id else None
        if org is None or not self.kind:
            return
        if self.kind == MeetingKind.GROUP and org.kind != OrgKind.GROUP:
            raise ValidationError({"organisation": _("A party group meeting is held by a party group.")})
        if self.kind != MeetingKind.GROUP and org.kind != OrgKind.BRANCH:
            raise ValidationError({"organisation": _("This kind of meeting is held by a party branch.")})

    @property
    def is_three_meetings_one_lesson(self) -> bool:
        return self.kind in THREE_MEETINGS_ONE_LESSON


class MeetingAttendance(TimeStamped):
    community_lookup = "meeting__organisation__community"
    objects = ScopedQuerySet.as_manager()

    meeting = models.ForeignKey(
        PartyMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="meeting_attendance", verbose_name=_("party member")
    )
    present = models.BooleanField(_("present"), default=False)
    absence_reason = models.CharField(_("reason for absence"), max_length=100, blank=True)
    mode = models.CharField(
        _("recorded how"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.TICKED
    )
    signed_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "member__name", "id"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meetingattendance_once"),
            models.CheckConstraint(
                condition=models.Q(present=True) | ~models.Q(absence_reason=""),
                name="meetingattendance_absence_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} {self.member}"

    def clean(self):
        super().clean()
        if not self.present and not self.absence_reason.strip():
            raise ValidationError({"absence_reason": _("Give the reason for the absence.")})


def meeting_photo_path(instance, filename: str) -> str:
    extension = PHOTO_TYPES.get(instance.content_type, "bin")
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}.{extension}"


class MeetingPhoto(TimeStamped):
    community_lookup = "meeting__organisation__community"
    objects = ScopedQuerySet.as_manager()

    meeting = models.ForeignKey(
        PartyMeeting, on_delete=models.CASCADE, related_name="photos", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to=meeting_photo_path, validators=[validate_photo], max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("meeting photo")
        verbose_name_plural = _("meeting photos")

    def __str__(self):
        return self.original_name
