"""Attendance import on the shared all-or-nothing machinery (jiedao.imports)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import TrainingRecord
from assessment.resources import AttendanceResource
from jiedao import imports
from tests.assessment.factories import TrainingEventFactory

pytestmark = pytest.mark.django_db


def csv_file(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("参训人员.csv", ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


def test_attendance_imports_all_rows(staff, cadres_a, cadres_b):
    event = TrainingEventFactory(hours=12)
    outcome = imports.run_import(
        AttendanceResource(actor=staff, event=event),
        csv_file("社区,姓名,学时", "秀水社区,张国华,", "A01,李秀英,6", "丛树社区,陈丛树,12"),
    )
    assert outcome.ok and outcome.created == 3
    hours = dict(TrainingRecord.objects.filter(event=event).values_list("cadre__name", "hours"))
    assert hours == {"张国华": None, "李秀英": Decimal(6), "陈丛树": Decimal(12)}


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(staff, cadres_a):
    event = TrainingEventFactory()
    outcome = imports.run_import(
        AttendanceResource(actor=staff, event=event),
        csv_file("社区,姓名,学时", "秀水社区,张国华,", "秀水社区,无此人,", "秀水社区,李秀英,很多", "秀水社区,张国华,"),
    )
    assert not outcome.ok
    assert not TrainingRecord.objects.exists()
    assert outcome.bad_lines == [3, 4, 5]
    messages = " ".join(p.message for p in outcome.problems)
    assert "无此人" in messages and "很多" in messages


def test_export_reimports_unchanged(staff, cadres_a):
    event = TrainingEventFactory()
    rows = csv_file("社区,姓名,学时", "秀水社区,张国华,4", "秀水社区,王建明,")
    imports.run_import(AttendanceResource(actor=staff, event=event), rows)
    data = imports.export_bytes(AttendanceResource(actor=staff, event=event), "csv")
    assert "秀水社区,张国华,4" in data.decode("utf-8-sig")
    outcome = imports.run_import(
        AttendanceResource(actor=staff, event=event), SimpleUploadedFile("x.csv", data, "text/csv")
    )
    assert outcome.ok and outcome.created == 0 and outcome.updated == 2
    assert TrainingRecord.objects.filter(event=event).count() == 2


def test_attendance_import_page(client, staff, cadres_a):
    """Who may open the three attendance URLs: test_matrix.py."""
    event = TrainingEventFactory()
    client.force_login(staff)
    url = reverse("assessment:attendance_import", args=[event.pk])
    response = client.post(url, {"file": csv_file("社区,姓名", "秀水社区,张国华", "秀水社区,查无此人")})
    assert response.status_code == 400 and "查无此人" in response.content.decode()
    assert not TrainingRecord.objects.exists()
    response = client.post(url, {"file": csv_file("社区,姓名", "秀水社区,张国华", "秀水社区,王建明")})
    assert response.status_code == 200
    assert TrainingRecord.objects.filter(event=event).count() == 2
