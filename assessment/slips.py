"""Building a session's ballot-slip PDF (what the Celery task calls): claim the queued job, save
progress as it goes, store the file whole or mark the job failed. ~150 slips take about a minute,
longer than a request may, hence a task (issue 11)."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from jiedao.pdf import render_pdf

from . import qr
from .models import BallotSession, SlipJob

logger = logging.getLogger(__name__)


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def slip_url(base_url: str, code: str) -> str:
    """The QR code's address: the voting page with the code after "#", which browsers never send
    to the server, so the code reaches no access log (static/js/ceping-code.js fills it in)."""
    return f"{base_url}#{code}"


def slips_pdf(
    session: BallotSession, *, base_url: str, progress: Callable[[int], None] = lambda percent: None
) -> tuple[bytes, int]:
    """The PDF of the session's unspent codes, each with a QR code; and how many slips it holds."""
    codes = list(session.codes.filter(spent=False).order_by("code").values_list("code", flat=True))
    slips = []
    for n, code in enumerate(codes, start=1):
        url = slip_url(base_url, code)
        slips.append({"code": format_code(code), "qr": qr.svg_data_uri(url)})
        if n % 10 == 0:
            progress(5 + 45 * n // len(codes))
    progress(50)
    html = render_to_string("assessment/ballot_slips.html", {"session": session, "slips": slips, "start_url": base_url})
    pdf = render_pdf(html)
    progress(95)
    return pdf, len(slips)


def _progress(job_id: int, percent: int) -> None:
    SlipJob.objects.filter(pk=job_id).update(progress=min(percent, 99), updated_at=timezone.now())


def slip_job_run(*, job_id: int) -> SlipJob | None:
    """Build the PDF of a queued job. Progress is saved outside any transaction so that the
    session page can show it; a failure marks the job failed with its error and leaves no file;
    a transient database error puts the job back in the queue and is raised for a retry."""
    claimed = SlipJob.objects.filter(pk=job_id, status=SlipJob.Status.QUEUED).update(
        status=SlipJob.Status.RUNNING, progress=1, error="", updated_at=timezone.now()
    )
    if not claimed:
        return SlipJob.objects.filter(pk=job_id).first()
    job = SlipJob.objects.select_related("session__cycle", "session__community").get(pk=job_id)
    storage = SlipJob._meta.get_field("file").storage
    try:
        with override(settings.LANGUAGE_CODE):
            pdf, count = slips_pdf(
                job.session, base_url=job.base_url, progress=lambda percent: _progress(job_id, percent)
            )
        # the row points at the file only once it is whole: a reader never gets half a file
        name = storage.save(SlipJob._meta.get_field("file").generate_filename(job, "slips.pdf"), ContentFile(pdf))
    except (OperationalError, InterfaceError):
        SlipJob.objects.filter(pk=job_id).update(status=SlipJob.Status.QUEUED, progress=0)
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is shown to staff on the session page
        logger.exception("ballot slips build failed job_id=%s", job_id)
        slip_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
        return SlipJob.objects.get(pk=job_id)
    SlipJob.objects.filter(pk=job_id).update(
        status=SlipJob.Status.DONE, progress=100, file=name, slips=count, updated_at=timezone.now()
    )
    return SlipJob.objects.get(pk=job_id)


def slip_job_fail(*, job_id: int, error: str) -> None:
    """Mark a build failed (also when its task gave up: time limit, retries exhausted)."""
    SlipJob.objects.filter(pk=job_id, status__in=SlipJob.ACTIVE).update(
        status=SlipJob.Status.FAILED, error=error[:2000], updated_at=timezone.now()
    )
