"""Logs an operator can use: one line per request (id, user id, method, path, status, duration),
the id in X-Request-ID, no names or numbers; task lines with the report id; errors with their
traceback in the log, never on the page."""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from jiedao.permissions import Role
from jiedao.request_log import RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"request id=(?P<id>[0-9a-f]{32}) user=(?P<user>\S+) method=(?P<method>[A-Z]+) path=(?P<path>\S+) "
    r"status=(?P<status>\d{3}) duration_ms=(?P<ms>\d+)"
)


def request_lines(caplog) -> list[re.Match]:
    return [LINE.fullmatch(r.getMessage()) for r in caplog.records if r.name == "jiedao.request"]


def test_one_line_per_request_with_its_id_user_id_and_duration(client, make_user, caplog):
    user = make_user("zhang-xiuying-13812345678", Role.STAFF, first_name="张秀英")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="jiedao.request"):
        response = client.get("/subdistrict/reports/?year=2005&q=张秀英")
    (line,) = request_lines(caplog)
    assert line, caplog.text
    assert line["id"] == response["X-Request-ID"]
    assert (line["user"], line["method"], line["path"], line["status"]) == (
        str(user.pk),
        "GET",
        "/subdistrict/reports/",
        "200",
    )
    # never the name, the username or a number in it; no query string
    assert "zhang" not in caplog.text and "张秀英" not in caplog.text and "13812345678" not in caplog.text
    assert "year=2005" not in caplog.text


def test_signed_out_requests_and_redirects_are_logged_too(client, caplog):
    with caplog.at_level(logging.INFO, logger="jiedao.request"):
        response = client.get("/subdistrict/reports/")
    (line,) = request_lines(caplog)
    assert line["user"] == "-" and line["status"] == "302" and response["X-Request-ID"] == line["id"]


def test_nginxs_request_id_is_kept_and_a_bad_one_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="jiedao.request"):
        kept = client.get("/", headers={"X-Request-ID": "5f0c2a9e8d7b6a5f4e3d2c1b0a998877"})
        replaced = client.get("/", headers={"X-Request-ID": "bad id\nforged=1"})
    assert kept["X-Request-ID"] == "5f0c2a9e8d7b6a5f4e3d2c1b0a998877"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])
    assert "forged" not in caplog.text


def boom(request):
    raise RuntimeError("the database said no: secret detail")


urlpatterns = [path("boom/", boom), path("ok/", lambda request: HttpResponse("ok"))]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_error_goes_to_the_log_with_its_traceback_and_request_id_never_to_the_page(client, caplog):
    client.raise_request_exception = False
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler of settings.LOGGING
    with caplog.at_level(logging.INFO):
        response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "secret detail" not in page and "Traceback" not in page and "RuntimeError" not in page
    error = next(r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR)
    assert error.exc_info and "secret detail" in str(error.exc_info[1])
    assert error.request_id == response["X-Request-ID"]  # the traceback is found by the id the user saw
    (line,) = request_lines(caplog)
    assert line["status"] == "500" and line["id"] == response["X-Request-ID"]
    assert current_request_id.get() == "-"  # nothing left behind for the next request


def test_the_formatter_puts_the_request_id_on_every_line(settings):
    from logging.config import dictConfig

    assert "%(request_id)s" in settings.LOGGING["formatters"]["line"]["format"]
    dictConfig(settings.LOGGING)  # loads as configured (the filter class imports without Django set up)


def test_the_report_task_logs_start_and_end_with_the_report_id(
    client, staff, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from django.urls import reverse

    from jiedao.models import AnnualReport, SubDistrictYear
    from tests.communities.factories import CommunityYearFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    CommunityYearFactory(year=2005, collective_income=Decimal("12.00"))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1, letters_visits=1, per_capita_income=1)
    client.force_login(staff)
    with caplog.at_level(logging.INFO, logger="jiedao.tasks"), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jiedao:annual_report_request"), {"year": "2005"})  # the task runs in-process here
    report = AnnualReport.objects.get()
    lines = [r.getMessage() for r in caplog.records if r.name == "jiedao.tasks"]
    assert any(
        re.search(rf"task start name=jiedao.annual_report_build id=\S+ report_id={report.pk}$", x) for x in lines
    )
    assert any(re.search(rf"task end .* report_id={report.pk} state=SUCCESS duration_ms=\d+", x) for x in lines), lines


def test_a_failing_task_logs_its_traceback_with_the_ids(caplog):
    from celery import shared_task

    @shared_task(name="tests.failing_task")
    def failing(report_id):
        raise ValueError("no such figures")

    with caplog.at_level(logging.INFO, logger="jiedao.tasks"):
        failing.apply(args=[42], throw=False)  # as in a worker: the failure is handled, not raised
    failed = next(r for r in caplog.records if r.name == "jiedao.tasks" and r.levelno == logging.ERROR)
    assert "task failed name=tests.failing_task" in failed.getMessage() and "report_id=42" in failed.getMessage()
    assert failed.exc_info and isinstance(failed.exc_info[1], ValueError)
    assert any("state=FAILURE" in r.getMessage() for r in caplog.records if r.name == "jiedao.tasks")
