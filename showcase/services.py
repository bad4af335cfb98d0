"""Every write of the demonstration-site programme. Permission rules live in jiedao.permissions."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.audit import log_bulk, log_update
from jiedao.pagecache import bump_public_version
from jiedao.permissions import (
    Role,
    ensure_can_report_rectification,
    ensure_can_run_showcase,
    ensure_can_supervise_showcase,
    users_with_role,
)
from jiedao.services import notify
from jiedao.uploads import check_upload

from .choices import FundingSource, PhotoKind, RectificationStatus, SiteStatus
from .defaults import DEFAULT_STANDARDS
from .models import Funding, Inspection, Photo, Programme, Rectification, Site, Standard, StandardCheck
from .selectors import overdue_rectifications

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


# -- programmes and standards ---------------------------------------------------------------


@transaction.atomic
def programme_save(*, actor, programme: Programme, load_defaults: bool = False) -> Programme:
    ensure_can_run_showcase(actor)
    programme.full_clean()
    programme.save()
    if load_defaults:
        standards_load_defaults(actor=actor, programme=programme)
    bump_public_version()  # the public pages show this change on the next request
    return programme


@transaction.atomic
def standards_load_defaults(*, actor, programme: Programme) -> int:
    """Add the default checklist's standards the programme lacks (by code). Returns how many."""
    ensure_can_run_showcase(actor)
    existing = set(programme.standards.values_list("code", flat=True))
    added = 0
    for code, category, title, description, points, required in DEFAULT_STANDARDS:
        if code in existing:
            continue
        standard = Standard(
            programme=programme,
            code=code,
            category=category,
            title=str(title),
            description=str(description),
            points=points,
            required=required,
        )
        standard_save(actor=actor, standard=standard)
        added += 1
    return added


@transaction.atomic
def standard_save(*, actor, standard: Standard) -> Standard:
    """Create or edit a standard; a new standard gets an (unmet) check at every site."""
    ensure_can_run_showcase(actor)
    creating = standard.pk is None
    standard.full_clean()
    standard.save()
    if creating:
        StandardCheck.objects.bulk_create(
            [StandardCheck(site=site, standard=standard) for site in standard.programme.sites.all()],
            ignore_conflicts=True,
        )
        log_bulk(actor=actor, created=standard.checks.all())  # a new standard: every check is new
    bump_public_version()  # the public pages show this change on the next request
    return standard


# -- sites -----------------------------------------------------------------------------------


@transaction.atomic
def site_save(*, actor, site: Site) -> Site:
    """Create or edit a site's community, theme, goal and tier; a new site gets a check per standard."""
    ensure_can_run_showcase(actor)
    creating = site.pk is None
    if not creating:
        previous = Site.objects.select_for_update().get(pk=site.pk)
        if previous.programme_id != site.programme_id:
            raise ValidationError(_("A site cannot move to another programme."))
    site.full_clean()
    site.save()
    if creating:
        StandardCheck.objects.bulk_create(
            [StandardCheck(site=site, standard=s) for s in site.programme.standards.all()], ignore_conflicts=True
        )
        log_bulk(actor=actor, created=site.checks.all())  # a new site: every check is new
    bump_public_version()  # the public pages show this change on the next request
    return site


def _locked(site: Site) -> Site:
    return Site.objects.select_for_update().get(pk=site.pk)


@transaction.atomic
def site_start(*, actor, site: Site) -> Site:
    """申报 → 创建中: staff approve the application."""
    ensure_can_run_showcase(actor)
    site = _locked(site)
    if not site.is_applied:
        raise ValidationError(_("Only an applying site can start construction."))
    site.status = SiteStatus.BUILDING
    site.save(update_fields=["status", "updated_at"])
    bump_public_version()  # the public pages show this change on the next request
    return site


@transaction.atomic
def site_accept(*, actor, site: Site, passed: bool, score: Decimal, accepted_on: date, note: str = "") -> Site:
    """Record the acceptance result. A site passes only when it meets every required standard."""
    ensure_can_run_showcase(actor)
    site = _locked(site)
    if not site.awaits_acceptance:
        raise ValidationError(_("Only a site under construction can be accepted."))
    if passed:
        unmet = list(
            site.checks.filter(standard__required=True, met=False)
            .order_by("standard__code")
            .values_list("standard__code", flat=True)
        )
        if unmet:
            raise ValidationError(
                _("The site does not yet meet every required standard: %(codes)s.") % {"codes": "、".join(unmet)}
            )
    site.status = SiteStatus.ACCEPTED if passed else SiteStatus.FAILED
    site.acceptance_score = score
    site.accepted_on = accepted_on
    site.acceptance_note = note
    site.full_clean()
    site.save()
    bump_public_version()  # the public pages show this change on the next request
    return site


# -- photos ----------------------------------------------------------------------------------


def _photo(*, actor, site: Site, kind: str, upload, check=None, rectification=None, caption: str = "") -> Photo:
    """Store an uploaded photo after checking its content (not its name) is an image."""
    kind_guess = check_upload(
        upload,
        allowed_mimes=PHOTO_TYPES,
        max_bytes=PHOTO_MAX_BYTES,
        too_large_message=_("The photo is larger than 5 MB."),
        wrong_type_message=_("Upload a photo in JPEG, PNG, WebP or GIF format."),
        field="photo",
    )
    photo = Photo(
        site=site,
        kind=kind,
        check_item=check,
        rectification=rectification,
        content_type=kind_guess.mime,
        caption=caption,
        uploaded_by=actor,
    )
    photo.file.save(f"{kind}.{kind_guess.extension}", upload, save=False)
    photo.full_clean()
    photo.save()
    return photo


# -- checks ----------------------------------------------------------------------------------


@transaction.atomic
def check_record(*, actor, check: StandardCheck, met: bool, note: str = "", photo=None, caption: str = ""):
    """An inspector marks a standard met or not at a site, with an optional evidence photo."""
    ensure_can_supervise_showcase(actor)
    check = StandardCheck.objects.select_for_update().select_related("site").get(pk=check.pk)
    if check.site.status == SiteStatus.ACCEPTED:
        raise ValidationError(_("The site has been accepted; its checks are final."))
    check.met = met
    check.note = note
    check.checked_by = actor
    check.checked_at = timezone.now()
    check.full_clean()
    check.save()
    if photo is not None:
        _photo(actor=actor, site=check.site, kind=PhotoKind.EVIDENCE, upload=photo, check=check, caption=caption)
    bump_public_version()  # the public pages show this change on the next request
    return check


# -- funding ---------------------------------------------------------------------------------


def _check_award(funding: Funding) -> None:
    if funding.source == FundingSource.AWARD and funding.site.status != SiteStatus.ACCEPTED:
        raise ValidationError(
            {"source": _("An award in place of subsidy can only be recorded for a site that passed acceptance.")}
        )


@transaction.atomic
def funding_save(*, actor, funding: Funding) -> Funding:
    ensure_can_run_showcase(actor)
    funding.site = Site.objects.select_for_update().get(pk=funding.site_id)
    _check_award(funding)
    funding.full_clean()
    funding.save()
    bump_public_version()  # the public pages show this change on the next request
    return funding


@transaction.atomic
def funding_delete(*, actor, funding: Funding) -> None:
    ensure_can_run_showcase(actor)
    funding.delete()
    bump_public_version()  # the public pages show this change on the next request


# -- inspections and rectifications -----------------------------------------------------------


@transaction.atomic
def inspection_record(*, actor, inspection: Inspection, sites) -> Inspection:
    ensure_can_supervise_showcase(actor)
    sites = list(sites)
    if any(site.programme_id != inspection.programme_id for site in sites):
        raise ValidationError({"sites": _("Every site must belong to the inspection's programme.")})
    if inspection.pk is None:
        inspection.recorded_by = actor
    inspection.full_clean()
    inspection.save()
    inspection.sites.set(sites)
    return inspection


@transaction.atomic
def rectification_open(*, actor, rectification: Rectification, photo=None) -> Rectification:
    """An inspector opens an item; the standard it concerns is no longer met until it is closed."""
    ensure_can_supervise_showcase(actor)
    site = rectification.site
    if rectification.standard_id and rectification.standard.programme_id != site.programme_id:
        raise ValidationError({"standard": _("The standard must belong to the site's programme.")})
    if rectification.inspection_id and not rectification.inspection.sites.filter(pk=site.pk).exists():
        raise ValidationError({"site": _("The site was not part of this inspection.")})
    rectification.status = RectificationStatus.OPEN
    rectification.opened_by = actor
    rectification.full_clean()
    rectification.save()
    if rectification.standard_id:
        log_update(
            StandardCheck.objects.filter(site=site, standard_id=rectification.standard_id),
            actor=actor,
            met=False,
            checked_by=actor,
            checked_at=timezone.now(),
        )
    if photo is not None:
        _photo(actor=actor, site=site, kind=PhotoKind.BEFORE, upload=photo, rectification=rectification)
    _tell(
        users_with_role(Role.SECRETARY, site.community_id),
        item=rectification,
        event="opened",
        title=_("New rectification item for %(community)s") % {"community": site.community.name},
    )
    return rectification


def _tell(users, *, item: Rectification, event: str, title: str) -> None:
    """An in-portal notice about an item, once per user, item and event (no mail: the daily
    overdue reminder is the one that is mailed)."""
    url = reverse("showcase:rectification_detail", args=[item.pk])
    for user in users:
        notify(
            recipient=user,
            key=f"showcase:rectification-{event}:{item.pk}:{item.updated_at:%Y%m%d%H%M%S%f}",
            title=title,
            body=item.description[:200],
            url=url,
            email=False,
        )


def _locked_item(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("site__community").get(pk=rectification.pk)


@transaction.atomic
def rectification_report(*, actor, rectification: Rectification, note: str, photo) -> Rectification:
    """The secretary of the site's community reports the fix, with an after photo."""
    ensure_can_report_rectification(actor, rectification)
    item = _locked_item(rectification)
    if not item.is_open:
        raise ValidationError(_("Only an open item can be reported fixed."))
    if not note.strip():
        raise ValidationError({"note": _("Describe what was done.")})
    if photo is None:
        raise ValidationError({"photo": _("Add a photo of the fix.")})
    _photo(actor=actor, site=item.site, kind=PhotoKind.AFTER, upload=photo, rectification=item)
    item.status = RectificationStatus.REPORTED
    item.report_note = note
    item.reported_at = timezone.now()
    item.reported_by = actor
    item.save()
    _tell(
        users_with_role(Role.INSPECTOR),
        item=item,
        event="reported",
        title=_("Fix reported by %(community)s: please verify") % {"community": item.site.community.name},
    )
    return item


@transaction.atomic
def rectification_close(*, actor, rectification: Rectification) -> Rectification:
    """The inspector verifies the fix and closes the item. When it was the last open item on a
    standard, the site's check of that standard is marked met."""
    ensure_can_supervise_showcase(actor)
    item = _locked_item(rectification)
    if not item.is_reported:
        raise ValidationError(_("Only an item reported fixed can be closed."))
    item.status = RectificationStatus.CLOSED
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.save()
    if item.standard_id:
        still_open = (
            Rectification.objects.filter(site=item.site, standard_id=item.standard_id)
            .exclude(status=RectificationStatus.CLOSED)
            .exists()
        )
        if not still_open:
            log_update(
                StandardCheck.objects.filter(site=item.site, standard_id=item.standard_id),
                actor=actor,
                met=True,
                checked_by=actor,
                checked_at=item.closed_at,
            )
    return item


@transaction.atomic
def rectification_return(*, actor, rectification: Rectification) -> Rectification:
    """The inspector finds the reported fix wanting: the item is open again."""
    ensure_can_supervise_showcase(actor)
    item = _locked_item(rectification)
    if not item.is_reported:
        raise ValidationError(_("Only an item reported fixed can be sent back."))
    item.status = RectificationStatus.OPEN
    item.save()
    _tell(
        users_with_role(Role.SECRETARY, item.site.community_id),
        item=item,
        event="returned",
        title=_("Rectification item sent back to %(community)s") % {"community": item.site.community.name},
    )
    return item


def rectifications_notify_overdue(*, today: date | None = None) -> int:
    """Tell every staff member about each overdue item, once per item (the notice key makes it
    idempotent however often the daily job runs). Returns the number of new notices."""
    today = today or timezone.localdate()
    staff = list(users_with_role(Role.STAFF))
    sent = 0
    for item in overdue_rectifications(today=today):
        title = _("Overdue rectification: %(community)s") % {"community": item.site.community.name}
        body = _("“%(item)s” was due on %(deadline)s and is not closed.") % {
            "item": item.description[:80],
            "deadline": item.deadline.isoformat(),
        }
        url = reverse("showcase:rectification_detail", args=[item.pk])
        for user in staff:
            sent += notify(
                recipient=user, key=f"showcase:rectification-overdue:{item.pk}", title=title, body=body, url=url
            )
    return sent
