"""The reporting writes staff call: requesting a build of the annual report, keeping its texts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jiedao.audit import log_event
from jiedao.models import AnnualReport, AnnualReportText
from jiedao.permissions import ensure_can_build_reports
from jiedao.reporting.build import REPORT_STALE_AFTER, annual_report_fail, annual_report_run
from jiedao.reporting.figures import years_on_record
from jiedao.reporting.tasks import annual_report_build

__all__ = [
    "annual_report_fail",
    "annual_report_request",
    "annual_report_run",
    "annual_report_text_save",
]


def annual_report_request(*, actor, year: int) -> AnnualReport:
    """Queue a build of `year`'s report, or return the build of that year already queued or
    running (pressing 生成 twice starts one build). A rebuild is a new version; the older
    versions and their PDFs stay."""
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


def annual_report_text_save(
    *, actor, year: int, problems: str, plans: str, signatory: str, signed_on
) -> AnnualReportText:
    """Staff keep the year's 存在问题和下步打算 and 落款; the next build prints them."""
    ensure_can_build_reports(actor)
    if year not in years_on_record():
        raise ValidationError(_("There are no figures for %(year)s in the database.") % {"year": year})
    with transaction.atomic():
        text = AnnualReportText.objects.select_for_update().filter(year=year).first() or AnnualReportText(year=year)
        before = {
            "problems": text.problems,
            "plans": text.plans,
            "signatory": text.signatory,
            "signed_on": text.signed_on,
        }
        text.problems, text.plans, text.signatory, text.signed_on = (
            problems.strip(),
            plans.strip(),
            signatory.strip(),
            signed_on,
        )
        text.updated_by = actor
        text.full_clean()
        text.save()
        changes = {k: (v or "", getattr(text, k)) for k, v in before.items() if v != getattr(text, k)}
        if changes:
            log_event(text, actor=actor, changes=changes)
    return text
