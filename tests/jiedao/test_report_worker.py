"""End to end through a real Celery worker on Redis: request → broker → worker → PDF.

The suite runs with CELERY_TASK_ALWAYS_EAGER=true; this test alone switches eager mode off, so
the task really travels through Redis (REDIS_URL) to a worker thread (the real_worker fixture)."""

import time
from decimal import Decimal
from pathlib import Path

import pytest

from jiedao.models import AnnualReport, SubDistrictYear
from jiedao.reporting.services import annual_report_request
from tests.communities.factories import CommunityYearFactory
from tests.jiedao.report_helpers import ensure_role_groups, pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()


def test_a_report_is_built_by_a_worker_through_redis(real_worker, staff, community_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    CommunityYearFactory(community=community_a, year=2004, collective_income=Decimal("450.14"))
    CommunityYearFactory(community=community_a, year=2005, collective_income=Decimal("723.76"))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)

    report = annual_report_request(actor=staff, year=2005)  # committed: on_commit sends the task to Redis
    # Run eagerly, the build would be finished before the request returned; through the broker
    # it is still waiting or under way (building a PDF takes seconds).
    assert AnnualReport.objects.get(pk=report.pk).status in AnnualReport.ACTIVE
    deadline = time.monotonic() + 300  # a safety net, not a timing assertion
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (AnnualReport.Status.DONE, AnnualReport.Status.FAILED):
            break
        time.sleep(0.2)
    assert report.status == AnnualReport.Status.DONE, report.error
    assert report.progress == 100 and report.started_at and report.finished_at
    text = pdf_text(Path(report.file.path))
    assert "秀水社区" in text and "723.76万元" in text and "+60.8%" in text
