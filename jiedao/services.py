"""Sub-district-wide writes: notifications and the sub-district's yearly indicators."""

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jiedao.models import AnnualReport, Notification, SubDistrictYear
from jiedao.permissions import Role, ensure_can_build_reports, ensure_role


def notify(*, recipient, key: str, title: str, body: str = "", url: str = "", email: bool = True) -> bool:
    """Put a notice in `recipient`'s inbox (and mail it) once per `key`. Returns whether it was new,
    so a job that runs twice sends one reminder."""
    with transaction.atomic():
        _notification, created = Notification.objects.get_or_create(
            recipient=recipient, key=key, defaults={"title": title, "body": body, "url": url}
        )
    if created and email and recipient.email:
        transaction.on_commit(
            lambda: send_mail(title, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [recipient.email])
        )
    return created


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        from django.http import Http404

        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def subdistrict_year_save(*, actor, instance: SubDistrictYear) -> SubDistrictYear:
    ensure_role(actor, Role.STAFF)
    instance.full_clean()
    instance.save()
    return instance


# -- the annual report (DESIGN §6) -------------------------------------------------------------


# Longer than the task's time limit (jiedao.tasks): a build whose progress has not moved for this
# long is dead (its worker was killed); pressing 生成 again starts a new one.
REPORT_STALE_AFTER = timedelta(minutes=20)


def write_atomically(path: Path, chunks) -> None:
    """Write `chunks` (bytes) to `path` so that readers see the old file or the whole new one,
    never half of it: a temporary file in the same directory, fsync, os.replace, fsync the
    directory. On any error the temporary file is removed and `path` is untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def annual_report_request(*, actor, year: int) -> AnnualReport:
    """Queue a build of `year`'s report, or return the build of that year already queued or
    running (pressing 生成 twice starts one build). A rebuild is a new version; the older
    versions and their PDFs stay."""
    from jiedao.reports import years_on_record
    from jiedao.tasks import annual_report_build

    ensure_can_build_reports(actor)
    if year not in years_on_record():
        raise ValidationError(_("There are no figures for %(year)s in the database.") % {"year": year})
    with transaction.atomic():
        # Serialise requests for the same year: lock that year's rows, then look for a build.
        rows = list(AnnualReport.objects.select_for_update().filter(year=year).order_by("-version"))
        active = next((r for r in rows if r.is_active), None)
        if active is not None and active.updated_at < timezone.now() - REPORT_STALE_AFTER:
            with override(settings.LANGUAGE_CODE):
                error = _("The build stopped without finishing (its worker was lost).")
            annual_report_fail(report_id=active.pk, error=error)
            active = None
        if active is not None:
            return active
        version = (rows[0].version if rows else 0) + 1
        try:
            with transaction.atomic():
                report = AnnualReport(year=year, version=version, requested_by=actor, stage=_("Queued"))
                report.full_clean()
                report.save()
        except IntegrityError:  # a request for a year with no rows yet raced us: take theirs
            return AnnualReport.objects.filter(year=year, status__in=AnnualReport.ACTIVE).get()
        transaction.on_commit(lambda: annual_report_build.delay(report.pk))
    return report


def _report_progress(report_id: int, percent: int, stage: str) -> None:
    AnnualReport.objects.filter(pk=report_id).update(progress=percent, stage=stage, updated_at=timezone.now())


def annual_report_run(*, report_id: int) -> AnnualReport | None:
    """Build the PDF of a queued report (what the Celery task calls). Progress is saved as it
    goes, outside any transaction, so the page can show it. A failure marks the report failed
    with its error and leaves no file; a transient database error is raised again so that the
    task retries, with the report back in the queue."""
    from jiedao.reports import annual_report_pdf

    stale = timezone.now() - REPORT_STALE_AFTER  # a build that stopped saving progress died with its worker
    claimable = Q(status=AnnualReport.Status.QUEUED) | Q(status=AnnualReport.Status.RUNNING, updated_at__lt=stale)
    claimed = AnnualReport.objects.filter(claimable, pk=report_id).update(
        status=AnnualReport.Status.RUNNING, started_at=timezone.now(), progress=1, error="", updated_at=timezone.now()
    )
    if not claimed:  # done already, failed, or being built by another worker: nothing to do
        return AnnualReport.objects.filter(pk=report_id).first()
    report = AnnualReport.objects.get(pk=report_id)
    relative = f"reports/annual/{report.year}/annual-report-{report.year}-v{report.version}.pdf"
    storage = AnnualReport._meta.get_field("file").storage  # local disk or the shared object store
    try:
        with override(settings.LANGUAGE_CODE):
            pdf = annual_report_pdf(
                year=report.year, progress=lambda percent, stage: _report_progress(report_id, percent, stage)
            )
            # Saved under a name of its own (the storage adds a suffix if it is taken); the row points
            # to it only once it is whole, so a reader never gets half a file.
            relative = storage.save(relative, ContentFile(pdf))
            stage = _("Done")
    except (OperationalError, InterfaceError):
        AnnualReport.objects.filter(pk=report_id).update(status=AnnualReport.Status.QUEUED, progress=0)
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is shown to staff on the report's page
        annual_report_fail(report_id=report_id, error=f"{type(exc).__name__}: {exc}")
        return AnnualReport.objects.get(pk=report_id)
    AnnualReport.objects.filter(pk=report_id).update(
        status=AnnualReport.Status.DONE,
        progress=100,
        stage=stage,
        file=relative,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return AnnualReport.objects.get(pk=report_id)


def annual_report_fail(*, report_id: int, error: str) -> None:
    """Mark a build failed (also when its task gave up: time limit, retries exhausted)."""
    with override(settings.LANGUAGE_CODE):
        stage = _("Failed")
    AnnualReport.objects.filter(pk=report_id, status__in=AnnualReport.ACTIVE).update(
        status=AnnualReport.Status.FAILED,
        stage=stage,
        error=error[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
