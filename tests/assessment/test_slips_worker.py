"""The ballot slips for a whole meeting (~140 codes) through a real Celery worker on Redis: the
request only queues the build, the worker makes the PDF with progress, staff download it."""

import subprocess
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assessment import services
from assessment.models import SlipJob
from jiedao.permissions import ROLE_GROUPS

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)


def test_140_slips_are_built_by_a_worker_not_the_request(real_worker, client, staff, session_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    session_a.expected_voters = 140
    services.session_save(actor=staff, session=session_a)
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=140)
    client.force_login(staff)
    response = client.post(reverse("assessment:session_slips", args=[session_a.pk]))
    assert response.status_code == 302
    job = SlipJob.objects.get()
    # made eagerly, the PDF would exist before the answer; through the broker it is still to come
    assert job.status in SlipJob.ACTIVE
    page = client.get(reverse("assessment:session_detail", args=[session_a.pk])).content.decode()
    assert 'data-testid="slip-job"' in page and "hx-trigger" in page  # the page polls for progress
    deadline = time.monotonic() + 600  # a safety net, not a timing assertion
    while time.monotonic() < deadline and job.is_active:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.is_done, job.error
    assert job.slips == 140 and job.progress == 100
    response = client.get(reverse("assessment:slip_job_download", args=[job.pk]))
    pdf = tmp_path / "slips.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert all(services.format_code(code) in text for code in codes)
