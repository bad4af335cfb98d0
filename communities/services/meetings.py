"""Every write to the 三会一课 and 主题党日 register: the meeting record (staff or the community's
secretary), its attendance (ticked, all or nothing) and photos, and members' own sign-in from the
meeting's QR code (a signed token valid on the meeting's day only)."""

import copy
import os
from datetime import date

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import PartyMember
from communities.models.meetings import AttendanceMode, MeetingAttendance, MeetingPhoto, PartyMeeting
from communities.periods import local_today
from communities.selectors.meetings import expected_members, has_register, register_month_figures
from communities.selectors.membership import member_of
from communities.validators import sniff_photo_type
from jiedao.audit import log_bulk
from jiedao.permissions import ensure_can_manage

SIGNIN_SALT = "communities.meeting-signin"
MEETING_MAX_PHOTOS = 10


@transaction.atomic
def meeting_save(*, actor, meeting: PartyMeeting) -> PartyMeeting:
    """Create or change a meeting record of one of the community's branches or groups."""
    ensure_can_manage(actor, meeting.organisation.community_id)
    if meeting.pk:
        stored = PartyMeeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
        ensure_can_manage(actor, stored.organisation.community_id)
    elif getattr(actor, "pk", None):
        meeting.created_by = actor
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: PartyMeeting) -> None:
    ensure_can_manage(actor, meeting.organisation.community_id)
    meeting.delete()


@transaction.atomic
def meeting_attendance_record(*, actor, meeting: PartyMeeting, marks: dict[int, tuple[bool, str]]) -> int:
    """The secretary ticks who came: `marks` maps a member id to (present, reason for absence).
    Every absentee needs a reason and every member must be expected at the meeting; one problem
    and nothing is written, with every problem named. QR sign-ins already recorded are kept."""
    ensure_can_manage(actor, meeting.organisation.community_id)
    expected = {m.pk: m for m in expected_members(meeting).only("id", "name")}
    errors = []
    for member_id, (present, reason) in marks.items():
        member = expected.get(member_id)
        if member is None:
            errors.append(_("Member #%(id)s is not expected at this meeting.") % {"id": member_id})
        elif not present and not (reason or "").strip():
            errors.append(_("%(name)s: give the reason for the absence.") % {"name": member.name})
    if errors:
        raise ValidationError(errors)
    existing = {a.member_id: a for a in meeting.attendance.select_for_update()}
    created, changed = [], []
    for member_id, (present, reason) in marks.items():
        row = existing.get(member_id)
        reason = "" if present else reason.strip()
        if row is None:
            created.append(
                MeetingAttendance(meeting=meeting, member_id=member_id, present=present, absence_reason=reason)
            )
        elif row.mode == AttendanceMode.QR and row.present:
            continue  # signed in on their phone: a tick cannot undo it
        elif (row.present, row.absence_reason) != (present, reason):
            old = copy.copy(row)
            row.present, row.absence_reason, row.mode = present, reason, AttendanceMode.TICKED
            changed.append((old, row))
    for row in created + [new for _old, new in changed]:
        row.full_clean(exclude=["meeting", "member"])
    MeetingAttendance.objects.bulk_create(created)
    MeetingAttendance.objects.bulk_update([new for _old, new in changed], ["present", "absence_reason", "mode"])
    log_bulk(actor=actor, created=created, updated=changed)
    return len(created) + len(changed)


@transaction.atomic
def meeting_photos_add(*, actor, meeting: PartyMeeting, photos) -> None:
    ensure_can_manage(actor, meeting.organisation.community_id)
    photos = list(photos or [])
    if meeting.photos.count() + len(photos) > MEETING_MAX_PHOTOS:
        raise ValidationError({"photos": _("A meeting holds at most %(n)s photos.") % {"n": MEETING_MAX_PHOTOS}})
    errors = []
    for upload in photos:
        photo = MeetingPhoto(
            meeting=meeting,
            file=upload,
            original_name=os.path.basename(upload.name or "photo")[:200],
            content_type=sniff_photo_type(upload) or "",
            size=upload.size,
        )
        try:
            photo.full_clean(exclude=["content_type", "size"])
        except ValidationError as error:
            errors += error.message_dict.get("file", error.messages)
            continue
        photo.save()
    if errors:
        raise ValidationError({"photos": errors})


# -- sign-in from the QR code ----------------------------------------------------------------


def meeting_signin_token(meeting: PartyMeeting) -> str:
    """The token in the meeting's QR code: signed, naming the meeting, its key and its day."""
    return signing.dumps(
        {"m": meeting.pk, "k": meeting.signin_key.hex, "d": meeting.held_on.isoformat()},
        salt=SIGNIN_SALT,
        compress=True,
    )


def meeting_from_token(token: str) -> tuple[PartyMeeting, date]:
    """The meeting a token names (404 for a forged token or a meeting whose key changed)."""
    try:
        data = signing.loads(token, salt=SIGNIN_SALT)
        meeting = PartyMeeting.objects.select_related("organisation").get(pk=int(data["m"]), signin_key=data["k"])
        day = date.fromisoformat(data["d"])
    except (signing.BadSignature, PartyMeeting.DoesNotExist, KeyError, TypeError, ValueError):
        raise Http404 from None
    return meeting, day


def signin_member(user, meeting: PartyMeeting) -> PartyMember:
    """The signed-in member, if expected at the meeting; anyone else gets 404 (the meeting of
    another organisation does not exist for them)."""
    member = member_of(user)
    if member is None or not expected_members(meeting).filter(pk=member.pk).exists():
        raise Http404
    return member


@transaction.atomic
def meeting_sign_in(*, actor, token: str, today: date | None = None) -> MeetingAttendance:
    """A member marks themself present from the meeting's QR code, on the meeting's day only."""
    meeting, day = meeting_from_token(token)
    member = signin_member(actor, meeting)
    today = today or local_today()
    if day != meeting.held_on or today != meeting.held_on:
        raise ValidationError(_("This sign-in code is valid on the day of the meeting only."))
    row, created = MeetingAttendance.objects.select_for_update().get_or_create(
        meeting=meeting,
        member=member,
        defaults={"present": True, "mode": AttendanceMode.QR, "signed_at": timezone.now()},
    )
    if not created and not row.present:
        row.present, row.absence_reason, row.mode, row.signed_at = True, "", AttendanceMode.QR, timezone.now()
        row.full_clean()
        row.save()
    return row


@transaction.atomic
def meeting_signin_reset(*, actor, meeting: PartyMeeting) -> PartyMeeting:
    """A new key: every QR code printed for the meeting so far stops working."""
    ensure_can_manage(actor, meeting.organisation.community_id)
    meeting.signin_key = PartyMeeting._meta.get_field("signin_key").default()
    meeting.save(update_fields=["signin_key", "updated_at"])
    return meeting


# -- the monthly update's figures -----------------------------------------------------------


def monthly_meeting_figures(*, community_id: int, period: date) -> dict[str, int] | None:
    """The monthly update's meeting figures from the register, or None for a community that has
    no branch in the organisation tree yet (its secretary still types them)."""
    if not has_register(community_id):
        return None
    return register_month_figures(community_id=community_id, period=period)
