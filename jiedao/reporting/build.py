"""Building an annual report's PDF (what the Celery task calls): claim the queued row, save progress
as it goes, store the file whole or mark the report failed."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jiedao.audit import log_update
from jiedao.models import AnnualReport
from jiedao.reporting.annual import annual_report_pdf

logger = logging.getLogger(__name__)


# Longer than the task's time limit (jiedao.reporting.tasks): a build whose progress has not moved for this
# long is dead (its worker was killed); pressing 生成 again starts a new one.
REPORT_STALE_AFTER = timedelta(minutes=20)


def _report_progress(report_id: int, percent: int, stage: str) -> None:
    AnnualReport.objects.filter(pk=report_id).update(progress=percent, stage=stage, updated_at=timezone.now())


def annual_report_run(*, report_id: int) -> AnnualReport | None:
    """Build the PDF of a queued report (what the Celery task calls). Progress is saved as it
    goes, outside any transaction, so the page can show it. A failure marks the report failed
    with its error and leaves no file; a transient database error is raised again so that the
    task retries, with the report back in the queue."""
    stale = timezone.now() - REPORT_STALE_AFTER  # a build that stopped saving progress died with its worker
    claimable = Q(status=AnnualReport.Status.QUEUED) | Q(status=AnnualReport.Status.RUNNING, updated_at__lt=stale)
    claimed = log_update(  # status changes go into the change log (an update() sends no signal)
        AnnualReport.objects.filter(claimable, pk=report_id),
        actor=None,
        status=AnnualReport.Status.RUNNING,
        started_at=timezone.now(),
        progress=1,
        error="",
        updated_at=timezone.now(),
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
        logger.exception("annual report build failed report_id=%s", report_id)  # the traceback, for the operator
        annual_report_fail(report_id=report_id, error=f"{type(exc).__name__}: {exc}")
        return AnnualReport.objects.get(pk=report_id)
    log_update(
        AnnualReport.objects.filter(pk=report_id),
        actor=None,
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
    log_update(
        AnnualReport.objects.filter(pk=report_id, status__in=AnnualReport.ACTIVE),
        actor=None,
        status=AnnualReport.Status.FAILED,
        stage=stage,
        error=error[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
