"""The report job: one build per year at a time, versions, failures that leave no file."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jiedao.models import AnnualReport, SubDistrictYear
from jiedao.reporting.services import annual_report_request, annual_report_run
from jiedao.services import write_atomically
from tests.communities.factories import CommunityYearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(community_a, community_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for community, (old, new) in ((community_a, ("40.00", "50.00")), (community_b, ("10.00", "12.50"))):
        CommunityYearFactory(community=community, year=2004, collective_income=Decimal(old))
        CommunityYearFactory(community=community, year=2005, collective_income=Decimal(new))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=100, letters_visits=3, per_capita_income=5000)


def test_pressing_generate_twice_gives_the_running_build(staff, figures):
    first = annual_report_request(actor=staff, year=2005)  # on_commit not run: it stays queued
    again = annual_report_request(actor=staff, year=2005)
    assert again.pk == first.pk
    assert AnnualReport.objects.filter(year=2005).count() == 1


def test_the_database_refuses_a_second_active_build_of_a_year(staff, figures):
    annual_report_request(actor=staff, year=2005)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=2005, version=2, status=AnnualReport.Status.RUNNING)


def test_a_rebuild_is_a_new_version_and_keeps_the_old_pdf(staff, figures, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = annual_report_request(actor=staff, year=2005)
    with django_capture_on_commit_callbacks(execute=True):
        second = annual_report_request(actor=staff, year=2005)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.version, second.version] == [1, 2]
    assert first.status == second.status == AnnualReport.Status.DONE
    assert Path(first.file.path).exists() and Path(second.file.path).exists()
    assert first.file.name != second.file.name
    assert Path(second.file.path).read_bytes().startswith(b"%PDF")


def test_a_finished_build_is_not_built_again_when_its_task_is_redelivered(staff, figures):
    report = annual_report_request(actor=staff, year=2005)
    annual_report_run(report_id=report.pk)
    report.refresh_from_db()
    built = (report.file.name, report.sha256, report.finished_at)
    annual_report_run(report_id=report.pk)  # acks_late: the same message may come twice
    report.refresh_from_db()
    assert (report.file.name, report.sha256, report.finished_at) == built


def test_only_staff_may_request_a_report(secretary_a, inspector, figures):
    for user in (secretary_a, inspector):
        with pytest.raises(PermissionDenied):
            annual_report_request(actor=user, year=2005)
    assert not AnnualReport.objects.exists()


def test_a_year_without_figures_is_refused_in_chinese(staff, figures):
    with pytest.raises(ValidationError) as error:
        annual_report_request(actor=staff, year=1999)
    assert "数据库中没有 1999 年的数据" in " ".join(error.value.messages)
    assert not AnnualReport.objects.exists()


def test_a_failed_build_is_marked_failed_with_its_error_and_leaves_no_file(staff, figures, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("the media folder cannot be created here")
    settings.MEDIA_ROOT = blocker  # writing the PDF will fail
    report = annual_report_request(actor=staff, year=2005)
    annual_report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert "Error" in report.error and report.finished_at is not None
    assert not report.file and not report.sha256
    assert blocker.read_text() == "the media folder cannot be created here"
    # a failed build does not block the next one
    assert annual_report_request(actor=staff, year=2005).version == 2


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF old")

    def chunks():
        yield b"%PDF new, first half"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, chunks())
    assert target.read_bytes() == b"%PDF old"
    assert list(tmp_path.iterdir()) == [target]
    write_atomically(target, [b"%PDF new"])
    assert target.read_bytes() == b"%PDF new"
    assert list(tmp_path.iterdir()) == [target]


def test_a_build_whose_worker_died_does_not_block_the_year(staff, figures):
    from datetime import timedelta

    from django.utils import timezone

    dead = annual_report_request(actor=staff, year=2005)
    AnnualReport.objects.filter(pk=dead.pk).update(
        status=AnnualReport.Status.RUNNING, progress=40, updated_at=timezone.now() - timedelta(hours=1)
    )
    fresh = annual_report_request(actor=staff, year=2005)
    dead.refresh_from_db()
    assert fresh.pk != dead.pk and fresh.version == 2
    assert dead.status == AnnualReport.Status.FAILED and "生成中断" in dead.error


def test_a_redelivered_task_takes_over_a_build_whose_worker_died(staff, figures):
    from datetime import timedelta

    from django.utils import timezone

    report = annual_report_request(actor=staff, year=2005)
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.RUNNING, progress=40, updated_at=timezone.now() - timedelta(hours=1)
    )
    annual_report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE and Path(report.file.path).exists()
