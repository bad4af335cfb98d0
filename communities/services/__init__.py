"""Every write to communities, cadres, party members and community-year indicators."""

import copy
import os
from datetime import date, timedelta

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.choices import MonthlyAction, MonthlyReminder, MonthlyStatus
from communities.models import (
    Cadre,
    Community,
    CommunityYear,
    MonthlyUpdate,
    MonthlyUpdateEvent,
    MonthlyUpdatePhoto,
    PartyMember,
)
from communities.periods import deadline_of, local_today, month_label, month_start, previous_month
from communities.services.meetings import monthly_meeting_figures
from communities.services.organisation import (
    MEMBER_IMPORT_FIELDS,
    bulk_link_people,
    monthly_member_figures,
    person_for_cadre,
    person_for_member,
)
from communities.services.tallies import monthly_tally_rebuild, monthly_tally_refresh  # noqa: F401
from communities.validators import sniff_photo_type
from jiedao.audit import log_import
from jiedao.imports.bulk import bulk_insert
from jiedao.pagecache import bump_public_version
from jiedao.permissions import (
    Role,
    ensure_can_file_monthly_update,
    ensure_can_manage,
    ensure_can_review_monthly_update,
    ensure_role,
    users_with_role,
)
from jiedao.services import notify


@transaction.atomic
def community_save(*, actor, community: Community) -> Community:
    """Create or update a community: staff only."""
    ensure_role(actor, Role.STAFF)
    community.full_clean()
    community.save()
    bump_public_version()  # the public pages show this change on the next request
    return community


@transaction.atomic
def cadre_save(*, actor, cadre: Cadre) -> Cadre:
    ensure_role(actor, Role.STAFF)
    cadre.full_clean()
    cadre.person = person_for_cadre(cadre)  # one Person however many posts they hold
    cadre.save()
    return cadre


@transaction.atomic
def cadre_delete(*, actor, cadre: Cadre) -> None:
    ensure_role(actor, Role.STAFF)
    cadre.delete()


@transaction.atomic
def party_member_save(*, actor, member: PartyMember) -> PartyMember:
    """Staff keep every roster; a secretary keeps their own community's. The member's Person (one
    row per human, shared with their posts) follows the record."""
    ensure_can_manage(actor, member.community_id)
    member.id_number = member.id_number.upper()
    member.full_clean()
    member.person = person_for_member(member)
    member.save()
    return member


@transaction.atomic
def party_member_delete(*, actor, member: PartyMember) -> None:
    ensure_can_manage(actor, member.community_id)
    member.delete()


@transaction.atomic
def party_member_bulk_save(*, actor, created: list[PartyMember], updated: list[tuple]) -> None:
    """Many members at once (roster imports): the same rule as `party_member_save` for every
    community touched, checked rows written in two statements, audited by `log_import` (one entry
    per row for a small import, one entry listing the rows for a large one).
    `updated` holds (old, new) pairs; the caller has validated every row."""
    touched = {m.community_id for m in created} | {new.community_id for _old, new in updated}
    touched |= {old.community_id for old, _new in updated if old is not None}  # a member moved away
    for community_id in touched:
        ensure_can_manage(actor, community_id)
    for member in created:
        member.id_number = member.id_number.upper()
    bulk_link_people(created)
    bulk_insert(PartyMember, created)
    fields = [*MEMBER_IMPORT_FIELDS]
    changed = [
        (old, new) for old, new in updated if old is None or any(getattr(old, f) != getattr(new, f) for f in fields)
    ]
    now = timezone.now()
    for _old, new in changed:
        new.updated_at = now
    PartyMember.objects.bulk_update([new for _old, new in changed], [*fields, "updated_at"], batch_size=1000)
    log_import(actor=actor, model=PartyMember, created=created, updated=changed)


@transaction.atomic
def community_year_save(*, actor, record: CommunityYear) -> CommunityYear:
    ensure_role(actor, Role.STAFF)
    record.full_clean()
    record.save()
    return record


# -- monthly updates (月度工作报告) -------------------------------------------------------------
# The workflow: the secretary creates and edits a draft → submits; staff accept or return it with
# a comment; a returned update is edited and resubmitted. Every step is a MonthlyUpdateEvent.
# Every write compares the form's `version` with the stored one: a stale form raises StaleEdit
# and changes nothing (DESIGN §12).

MONTHLY_NARRATIVE_FIELDS = ("key_work", "member_activities", "problems", "next_plan")
MONTHLY_FIGURE_FIELDS = (
    "collective_income",
    "activity_count",
    "participant_count",
    "new_members",
    "letters_visits",
    "volunteer_hours",
)
MONTHLY_MEETING_FIELDS = (
    "branch_committee_meetings",
    "general_meetings",
    "group_meetings",
    "party_lectures",
    "theme_days",
)
MONTHLY_CONTENT_FIELDS = MONTHLY_NARRATIVE_FIELDS + MONTHLY_FIGURE_FIELDS + MONTHLY_MEETING_FIELDS
MONTHLY_MAX_PHOTOS = 10


class StaleEdit(Exception):
    """The update was saved by someone else since the form was loaded. `current` is the update
    as it is stored now; nothing was written."""

    def __init__(self, current: MonthlyUpdate):
        super().__init__(_("This monthly update was changed by someone else."))
        self.current = current


def _locked_update(update: MonthlyUpdate, version: int) -> MonthlyUpdate:
    """The stored row, locked until the transaction ends; StaleEdit if `version` is old."""
    current = MonthlyUpdate.objects.select_for_update().select_related("updated_by").get(pk=update.pk)
    if version is None or int(version) != current.version:
        raise StaleEdit(current)
    return current


def _write(current: MonthlyUpdate, version: int, *, actor, **fields) -> MonthlyUpdate:
    """One UPDATE guarded by the version; the change goes into the audit log (a queryset update
    sends no signal, so it is logged here, as auditlog would)."""
    changed = MonthlyUpdate.objects.filter(pk=current.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not changed:  # cannot happen under the row lock, but never write over a newer version
        raise StaleEdit(MonthlyUpdate.objects.get(pk=current.pk))
    if "status" in fields:  # the month's counts by status, as a save would have recounted them
        monthly_tally_refresh([current.period])
    saved = MonthlyUpdate.objects.select_related("community").get(pk=current.pk)
    changes = model_instance_diff(current, saved)
    if changes:
        LogEntry.objects.log_create(saved, action=LogEntry.Action.UPDATE, changes=changes, actor=actor)
    return saved


def _record(update: MonthlyUpdate, actor, action: str, comment: str = "", at=None) -> MonthlyUpdateEvent:
    event = MonthlyUpdateEvent.objects.create(update=update, actor=actor, action=action, comment=comment)
    if at is not None:  # demo data and back-filled reports keep their real time
        MonthlyUpdateEvent.objects.filter(pk=event.pk).update(created_at=at)
        event.created_at = at
    return event


def _add_photos(update: MonthlyUpdate, actor, photos) -> None:
    photos = list(photos or [])
    if not photos:
        return
    if update.photos.count() + len(photos) > MONTHLY_MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("An update holds at most %(n)s photos.") % {"n": MONTHLY_MAX_PHOTOS}}, code="too_many"
        )
    errors = []
    for upload in photos:
        photo = MonthlyUpdatePhoto(
            update=update,
            file=upload,
            original_name=os.path.basename(upload.name or "photo")[:200],
            content_type=sniff_photo_type(upload) or "",
            size=upload.size,
            uploaded_by=actor,
        )
        try:
            photo.full_clean(exclude=["content_type", "size"])
        except ValidationError as error:
            errors += error.message_dict.get("file", error.messages)
            continue
        photo.save()
    if errors:
        raise ValidationError({"photos": errors})


def _check_content(update: MonthlyUpdate, data: dict) -> None:
    unknown = set(data) - set(MONTHLY_CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not content fields: {sorted(unknown)}")
    # A community keeping the 三会一课 register: its meeting figures are counted there, not typed.
    data.update(monthly_meeting_figures(community_id=update.community_id, period=update.period) or {})
    # … and one keeping its roster in the organisation tree: 新发展党员 is counted from the roster.
    data.update(monthly_member_figures(community_id=update.community_id, period=update.period) or {})
    for name, value in data.items():
        setattr(update, name, value)
    update.full_clean(exclude=["created_by", "updated_by"])


@transaction.atomic
def monthly_update_create(*, actor, community: Community, period: date, data: dict, photos=(), now=None):
    """The secretary starts their community's update for `period` (a draft)."""
    ensure_can_file_monthly_update(actor, community.pk)
    at, now = now, now or timezone.now()
    period = month_start(period)
    if period > month_start(timezone.localdate(now)):
        raise ValidationError({"period": _("You cannot file an update for a month that has not begun.")})
    exists = ValidationError(
        {"period": _("The update for %(month)s already exists.") % {"month": month_label(period)}}, code="exists"
    )
    if MonthlyUpdate.objects.filter(community=community, period=period).exists():
        raise exists
    update = MonthlyUpdate(community=community, period=period, created_by=actor, updated_by=actor)
    _check_content(update, data)
    try:
        with transaction.atomic():  # two people starting the same month at once: one wins
            update.save()
    except IntegrityError:
        raise exists from None
    if at is not None:
        MonthlyUpdate.objects.filter(pk=update.pk).update(created_at=at, updated_at=at)
    _add_photos(update, actor, photos)
    _record(update, actor, MonthlyAction.CREATE, at=at)
    return update


@transaction.atomic
def monthly_update_save(*, actor, update: MonthlyUpdate, data: dict, version: int, photos=()) -> MonthlyUpdate:
    """Save the secretary's edits of a draft or returned update."""
    ensure_can_file_monthly_update(actor, update.community_id)
    current = _locked_update(update, version)
    if not current.is_editable:
        raise ValidationError(_("A submitted update is read-only."), code="read_only")
    before = copy.copy(current)
    _check_content(current, data)
    saved = _write(before, before.version, actor=actor, updated_by=actor, **data)
    _add_photos(saved, actor, photos)
    return saved


@transaction.atomic
def monthly_update_submit(
    *, actor, update: MonthlyUpdate, version: int, now=None, notify_reviewers: bool = True
) -> MonthlyUpdate:
    """Hand the update in. The first submission after the deadline marks it late. Staff are told
    it waits for review (unless `notify_reviewers` is off, as when back-filling old reports)."""
    ensure_can_file_monthly_update(actor, update.community_id)
    current = _locked_update(update, version)
    if not current.is_editable:
        raise ValidationError(_("Only a draft or a returned update can be submitted."), code="not_editable")
    empty = [str(MonthlyUpdate._meta.get_field(name).verbose_name) for name in MONTHLY_NARRATIVE_FIELDS]
    empty = [label for name, label in zip(MONTHLY_NARRATIVE_FIELDS, empty, strict=True) if not getattr(current, name)]
    if empty:
        raise ValidationError(
            _("Fill in before submitting: %(fields)s.") % {"fields": "、".join(empty)}, code="incomplete"
        )
    at, now = now, now or timezone.now()
    fields = {"status": MonthlyStatus.SUBMITTED, "submitted_at": now, "submitted_by": actor}
    fields.update(monthly_meeting_figures(community_id=current.community_id, period=current.period) or {})
    if current.first_submitted_at is None:
        fields["first_submitted_at"] = now
        fields["is_late"] = timezone.localdate(now) > deadline_of(current.period)
    saved = _write(current, current.version, actor=actor, **fields)
    _record(saved, actor, MonthlyAction.SUBMIT, at=at)
    if notify_reviewers:
        title = _("Monthly update to review: %(update)s") % {"update": saved}
        for user in users_with_role(Role.STAFF):
            key = f"communities:monthly-submitted:{saved.pk}:{saved.version}"
            notify(recipient=user, key=key, title=title, url=saved.get_absolute_url(), email=False)
    return saved


def _notify_secretaries(update: MonthlyUpdate, *, key: str, title: str, body: str = "") -> None:
    for user in users_with_role(Role.SECRETARY, update.community_id):
        notify(recipient=user, key=key, title=title, body=body, url=update.get_absolute_url())


@transaction.atomic
def monthly_update_return(
    *, actor, update: MonthlyUpdate, version: int, comment: str, now=None, notify_secretary: bool = True
) -> MonthlyUpdate:
    """Staff send a submitted update back to the secretary, saying what to change (and tell the
    secretary, unless `notify_secretary` is off, as when back-filling old reports)."""
    ensure_can_review_monthly_update(actor)
    current = _locked_update(update, version)
    if current.status != MonthlyStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be returned."), code="not_submitted")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change before returning the update.")})
    at, now = now, now or timezone.now()
    saved = _write(
        current, current.version, actor=actor, status=MonthlyStatus.RETURNED, reviewed_at=now, reviewed_by=actor
    )
    event = _record(saved, actor, MonthlyAction.RETURN, comment, at=at)
    if notify_secretary:
        _notify_secretaries(
            saved,
            key=f"monthly:{saved.pk}:event:{event.pk}",
            title=_("Your monthly update for %(month)s was returned") % {"month": month_label(saved.period)},
            body=comment,
        )
    return saved


@transaction.atomic
def monthly_update_accept(
    *, actor, update: MonthlyUpdate, version: int, comment: str = "", now=None, notify_secretary: bool = True
):
    """Staff accept a submitted update; its figures then count in the roll-ups and compliance."""
    ensure_can_review_monthly_update(actor)
    current = _locked_update(update, version)
    if current.status != MonthlyStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be accepted."), code="not_submitted")
    at, now = now, now or timezone.now()
    saved = _write(
        current, current.version, actor=actor, status=MonthlyStatus.ACCEPTED, reviewed_at=now, reviewed_by=actor
    )
    event = _record(saved, actor, MonthlyAction.ACCEPT, (comment or "").strip(), at=at)
    if notify_secretary:
        _notify_secretaries(
            saved,
            key=f"monthly:{saved.pk}:event:{event.pk}",
            title=_("Your monthly update for %(month)s was accepted") % {"month": month_label(saved.period)},
            body=event.comment,
        )
    return saved


@transaction.atomic
def monthly_update_photo_delete(*, actor, photo: MonthlyUpdatePhoto) -> None:
    update = photo.update
    ensure_can_file_monthly_update(actor, update.community_id)
    if not update.is_editable:
        raise ValidationError(_("A submitted update is read-only."), code="read_only")
    storage, name = photo.file.storage, photo.file.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


def monthly_reminders_send(*, today: date | None = None) -> int:
    """The daily reminder job. For last month's update: from three days before the deadline to
    the deadline, remind secretaries whose update is not handed in; after the deadline, tell
    those who have not submitted at all that it is overdue. Each kind of reminder reaches each
    secretary once per community-month (notify's key), however often this runs. Returns how
    many new reminders went out."""
    today = today or local_today()
    period = previous_month(today)
    deadline = deadline_of(period)
    if deadline - timedelta(days=3) <= today <= deadline:
        kind, waiting = MonthlyReminder.DUE_SOON, {None, MonthlyStatus.DRAFT, MonthlyStatus.RETURNED}
    elif today > deadline:
        kind, waiting = MonthlyReminder.OVERDUE, {None, MonthlyStatus.DRAFT}
    else:
        return 0
    updates = {u.community_id: u for u in MonthlyUpdate.objects.filter(period=period).only("community_id", "status")}
    pending = [
        cid
        for cid in Community.objects.values_list("pk", flat=True)
        if getattr(updates.get(cid), "status", None) in waiting
    ]
    month, due = month_label(period), date_format(deadline, "DATE_FORMAT")
    sent = 0
    for user in users_with_role(Role.SECRETARY, pending).select_related("profile__community"):
        profile = user.profile
        update = updates.get(profile.community_id)
        if update is not None:
            url = reverse("communities:monthly_update_detail", args=[update.pk])
        else:
            url = f"{reverse('communities:monthly_update_create')}?period={period:%Y-%m}"
        if kind == MonthlyReminder.DUE_SOON:
            title = _("%(community)s: the monthly update for %(month)s is due on %(due)s")
        else:
            title = _("%(community)s: the monthly update for %(month)s is overdue (due %(due)s)")
        sent += notify(
            recipient=user,
            key=f"monthly:{profile.community_id}:{period:%Y-%m}:{kind}",
            title=title % {"community": profile.community.name, "month": month, "due": due},
            body=_("Please file and submit it in the portal."),
            url=url,
        )
    return sent
