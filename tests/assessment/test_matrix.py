"""Every assessment URL (and every public voting URL) × every persona."""

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import AppraisalCycle, SlipJob, TrainingRecord
from assessment.slips import slip_job_run
from tests.assessment.factories import TrainingEventFactory
from tests.assessment.test_targets_views import TARGET_URLS
from tests.matrix import PUBLIC, SECRETARIES, STAFF_ONLY, STAFF_POST, assert_matrix_covers, check_matrix

pytestmark = pytest.mark.django_db

OWN_WHEN_CLOSED = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
OWN_NOT_YET = {**STAFF_ONLY, "secretary_a": 404, "secretary_b": 404}


def test_permission_matrix_over_every_assessment_url(personas, closed, later, community_a, community_b, staff):
    cycle_2006, session_2006 = later
    appraisal = closed.appraisals.get(cadre__name="张国华")
    appraisal_2006 = cycle_2006.appraisals.get(cadre__name="张国华")
    session = closed.sessions.get()
    event = TrainingEventFactory()
    record = services.training_record_save(actor=staff, record=TrainingRecord(event=event, cadre=appraisal.cadre))
    draft = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2007))
    [code] = services.ballot_codes_issue(actor=staff, session=session_2006, count=1)  # before voting closes
    checked = set()

    def check(name, args, expected, method="get", data=None):
        checked.add(name)
        check_matrix(personas, reverse(f"assessment:{name}", args=args), expected, method, data)

    check("cycle_list", [], STAFF_ONLY)
    check("cycle_create", [], STAFF_ONLY)
    check("cycle_detail", [closed.pk], STAFF_ONLY)
    check("cycle_update", [cycle_2006.pk], STAFF_ONLY)
    check("cycle_results", [closed.pk], STAFF_ONLY)
    check("cycle_export", [closed.pk], STAFF_ONLY)
    check("cycle_recalculate", [cycle_2006.pk], STAFF_POST, "post")
    check("cycle_start", [draft.pk], STAFF_POST, "post")
    check("cycle_close", [draft.pk], STAFF_POST, "post")
    check("session_create", [cycle_2006.pk], STAFF_ONLY)
    check("session_detail", [session.pk], STAFF_ONLY)
    check("session_update", [session_2006.pk], STAFF_ONLY)
    check("session_paper", [session_2006.pk], STAFF_ONLY)
    check("session_slips", [session_2006.pk], STAFF_POST, "post")
    slip_job = SlipJob.objects.get(session=session_2006)  # the build the staff persona just queued
    check("slip_job_progress", [slip_job.pk], STAFF_ONLY)
    slip_job_run(job_id=slip_job.pk)  # what the worker would do
    check("slip_job_download", [slip_job.pk], STAFF_ONLY)
    check("session_codes_issue", [session_2006.pk], STAFF_POST, "post", {"count": 1})
    check("session_close_voting", [session_2006.pk], STAFF_POST, "post")
    check("appraisal_update", [appraisal_2006.pk], STAFF_ONLY)
    check("training_event_list", [], STAFF_ONLY)
    check("training_event_create", [], STAFF_ONLY)
    check("training_event_detail", [event.pk], STAFF_ONLY)
    check("training_event_update", [event.pk], STAFF_ONLY)
    check("training_hours", [], STAFF_ONLY)
    check("training_record_delete", [record.pk], STAFF_POST, "post")
    check("training_event_delete", [TrainingEventFactory().pk], STAFF_POST, "post")
    check("my_results", [], SECRETARIES)
    # a secretary reads their own community's results once the cycle is closed; nothing of another
    check("community_results", [closed.pk, community_a.pk], OWN_WHEN_CLOSED)
    check("appraisal_detail", [appraisal.pk], OWN_WHEN_CLOSED)
    check("appraisal_report_file", [appraisal.pk], OWN_WHEN_CLOSED)
    check("community_results", [cycle_2006.pk, community_a.pk], OWN_NOT_YET)
    check("appraisal_detail", [appraisal_2006.pk], OWN_NOT_YET)
    check_matrix(
        personas,
        reverse("assessment:community_results", args=[closed.pk, community_b.pk]),
        {**STAFF_ONLY, "secretary_a": 404, "secretary_b": 200},
    )
    # a closed cycle's forms are gone
    check_matrix(personas, reverse("assessment:cycle_update", args=[closed.pk]), {**STAFF_ONLY, "staff": 404})
    check_matrix(personas, reverse("assessment:appraisal_update", args=[appraisal.pk]), {**STAFF_ONLY, "staff": 404})
    check_matrix(personas, reverse("assessment:session_paper", args=[session.pk]), {**STAFF_ONLY, "staff": 404})
    for name in ("attendance_import", "attendance_export", "attendance_template"):
        check(name, [event.pk], STAFF_ONLY)
    assert_matrix_covers("assessment", checked | TARGET_URLS)  # the target sheets: test_targets_views.py
    # the public voting pages: anyone; a code's ballot is opened (not spent) for whoever holds it,
    # by posting it (no address names a code)
    for name in ("start", "done"):
        check_matrix(personas, reverse(f"ceping:{name}"), PUBLIC)
    check_matrix(personas, reverse("ceping:start"), PUBLIC, "post", {"code": code})
    check_matrix(personas, reverse("ceping:vote"), PUBLIC, "post", {"token": ""})
    check_matrix(personas, reverse("ceping:vote"), dict.fromkeys(PUBLIC, 405))
    assert_matrix_covers("ceping", {"start", "vote", "done"})
