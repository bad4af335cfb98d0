"""The background-job tasks (jiedao.jobs): a task that gives up marks its job failed, and both
builds keep their registered names, limits and retry policy."""

import pytest
from django.db import InterfaceError, OperationalError

from assessment.tasks import SLIPS_TIME_LIMIT, ballot_slips_build
from jiedao.models import AnnualReport
from jiedao.reporting.tasks import annual_report_build

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("call", ["args", "kwargs"])
def test_a_task_that_gave_up_marks_its_report_failed(staff, call):
    report = AnnualReport.objects.create(year=2005, version=1, requested_by=staff, status=AnnualReport.Status.RUNNING)
    args, kwargs = ([report.pk], {}) if call == "args" else ([], {"report_id": report.pk})
    annual_report_build.on_failure(TimeoutError("too slow"), "task-id", args, kwargs, None)
    report.refresh_from_db()
    assert report.is_failed and "TimeoutError" in report.error


def test_the_builds_keep_their_names_limits_and_retries():
    assert annual_report_build.name == "jiedao.annual_report_build"
    assert ballot_slips_build.name == "assessment.ballot_slips_build"
    assert (annual_report_build.soft_time_limit, annual_report_build.time_limit) == (900, 960)
    assert (ballot_slips_build.soft_time_limit, ballot_slips_build.time_limit) == (600, 660) == (600, SLIPS_TIME_LIMIT)
    for task in (annual_report_build, ballot_slips_build):
        assert task.acks_late and task.reject_on_worker_lost and task.max_retries == 3
        assert task.autoretry_for == (OperationalError, InterfaceError)
