"""The monthly-update workflow: every legal and illegal transition, the version lock, lateness,
photos, and the daily reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404

from communities.choices import MonthlyAction, MonthlyStatus
from communities.models import MonthlyUpdate
from communities.services import (
    StaleEdit,
    monthly_reminders_send,
    monthly_update_accept,
    monthly_update_create,
    monthly_update_photo_delete,
    monthly_update_return,
    monthly_update_save,
    monthly_update_submit,
)
from communities.tasks import monthly_reminders
from jiedao.models import Notification
from tests.communities.monthly_helpers import CONTENT, at, make_update, picture

pytestmark = pytest.mark.django_db

MARCH = date(2005, 3, 1)
DEADLINE = date(2005, 4, 5)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(secretary_a, community_a):
    return make_update(secretary_a, community_a)


def submitted(update, secretary, when=None):
    return monthly_update_submit(actor=secretary, update=update, version=update.version, now=when or at(DEADLINE))


def actions(update):
    return list(update.events.order_by("created_at", "id").values_list("action", flat=True))


# -- legal transitions ---------------------------------------------------------------------------


def test_secretary_creates_a_draft_for_their_community(draft, secretary_a, community_a):
    assert draft.status == MonthlyStatus.DRAFT and draft.version == 1
    assert draft.community == community_a and draft.period == MARCH and draft.created_by == secretary_a
    assert actions(draft) == [MonthlyAction.CREATE]


def test_draft_is_edited_then_submitted_then_accepted(draft, secretary_a, staff):
    saved = monthly_update_save(actor=secretary_a, update=draft, data={"key_work": "新的重点工作"}, version=1)
    assert saved.key_work == "新的重点工作" and saved.version == 2 and saved.updated_by == secretary_a
    sent = submitted(saved, secretary_a)
    assert sent.status == MonthlyStatus.SUBMITTED and sent.submitted_by == secretary_a and not sent.is_late
    done = monthly_update_accept(actor=staff, update=sent, version=sent.version, comment="很好")
    assert done.status == MonthlyStatus.ACCEPTED and done.reviewed_by == staff
    assert actions(done) == [MonthlyAction.CREATE, MonthlyAction.SUBMIT, MonthlyAction.ACCEPT]
    assert done.events.get(action=MonthlyAction.ACCEPT).actor == staff


def test_returned_update_is_fixed_and_resubmitted(draft, secretary_a, staff):
    sent = submitted(draft, secretary_a)
    back = monthly_update_return(
        actor=staff, update=sent, version=sent.version, comment="请补充参加人数", now=at(DEADLINE + timedelta(days=2))
    )
    assert back.status == MonthlyStatus.RETURNED
    event = back.events.get(action=MonthlyAction.RETURN)
    assert (event.actor, event.comment) == (staff, "请补充参加人数")
    fixed = monthly_update_save(actor=secretary_a, update=back, data={"participant_count": 61}, version=back.version)
    again = submitted(fixed, secretary_a, at(DEADLINE + timedelta(days=9)))
    assert again.status == MonthlyStatus.SUBMITTED and again.participant_count == 61
    assert not again.is_late  # lateness is decided by the first submission, which was on time
    assert actions(again) == ["create", "submit", "return", "submit"]
    done = monthly_update_accept(actor=staff, update=again, version=again.version)
    assert done.status == MonthlyStatus.ACCEPTED


def test_returning_tells_the_secretary(draft, secretary_a, staff, django_capture_on_commit_callbacks):
    sent = submitted(draft, secretary_a)
    with django_capture_on_commit_callbacks(execute=True):
        monthly_update_return(actor=staff, update=sent, version=sent.version, comment="请补充")
    notice = Notification.objects.get(recipient=secretary_a)
    assert "2005年3月" in notice.title and notice.body == "请补充" and notice.url == sent.get_absolute_url()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sec_a@example.invalid"]


# -- illegal transitions -------------------------------------------------------------------------


def test_submitted_and_accepted_updates_are_read_only(draft, secretary_a, staff):
    sent = submitted(draft, secretary_a)
    with pytest.raises(ValidationError, match="不能修改"):
        monthly_update_save(actor=secretary_a, update=sent, data={"key_work": "改"}, version=sent.version)
    with pytest.raises(ValidationError):
        submitted(sent, secretary_a)
    done = monthly_update_accept(actor=staff, update=sent, version=sent.version)
    with pytest.raises(ValidationError):
        monthly_update_save(actor=secretary_a, update=done, data={"key_work": "改"}, version=done.version)
    with pytest.raises(ValidationError):
        submitted(done, secretary_a)
    done.refresh_from_db()
    assert done.key_work == CONTENT["key_work"] and done.status == MonthlyStatus.ACCEPTED


@pytest.mark.parametrize("state", ["draft", "returned", "accepted"])
def test_only_a_submitted_update_is_accepted_or_returned(state, draft, secretary_a, staff):
    update = draft
    if state != "draft":
        update = submitted(update, secretary_a)
        if state == "returned":
            update = monthly_update_return(actor=staff, update=update, version=update.version, comment="改")
        else:
            update = monthly_update_accept(actor=staff, update=update, version=update.version)
    with pytest.raises(ValidationError, match="只有已提交的月报"):
        monthly_update_accept(actor=staff, update=update, version=update.version)
    with pytest.raises(ValidationError, match="只有已提交的月报"):
        monthly_update_return(actor=staff, update=update, version=update.version, comment="改")
    assert MonthlyUpdate.objects.get(pk=update.pk).status == state


def test_return_needs_a_comment(draft, secretary_a, staff):
    sent = submitted(draft, secretary_a)
    with pytest.raises(ValidationError) as caught:
        monthly_update_return(actor=staff, update=sent, version=sent.version, comment="   ")
    assert "comment" in caught.value.message_dict
    assert MonthlyUpdate.objects.get(pk=sent.pk).status == MonthlyStatus.SUBMITTED


def test_submission_needs_the_narrative(secretary_a, community_a):
    update = make_update(secretary_a, community_a, problems="", next_plan="")
    with pytest.raises(ValidationError, match="存在问题和困难、下月工作计划"):
        submitted(update, secretary_a)
    assert MonthlyUpdate.objects.get(pk=update.pk).status == MonthlyStatus.DRAFT


def test_who_may_do_what(draft, secretary_a, secretary_b, staff, inspector, community_a):
    # staff review but neither file nor edit; a secretary files but does not review;
    # another community's secretary does not see the update at all
    with pytest.raises(PermissionDenied):
        monthly_update_save(actor=staff, update=draft, data={"key_work": "x"}, version=1)
    with pytest.raises(PermissionDenied):
        submitted(draft, staff)
    with pytest.raises(PermissionDenied):
        monthly_update_create(actor=staff, community=community_a, period=date(2005, 4, 1), data={})
    with pytest.raises(PermissionDenied):
        monthly_update_create(actor=inspector, community=community_a, period=date(2005, 4, 1), data={})
    with pytest.raises(Http404):
        monthly_update_save(actor=secretary_b, update=draft, data={"key_work": "x"}, version=1)
    with pytest.raises(Http404):
        submitted(draft, secretary_b)
    with pytest.raises(Http404):
        monthly_update_create(actor=secretary_b, community=community_a, period=date(2005, 4, 1), data={})
    sent = submitted(draft, secretary_a)
    with pytest.raises(PermissionDenied):
        monthly_update_accept(actor=secretary_a, update=sent, version=sent.version)
    with pytest.raises(PermissionDenied):
        monthly_update_return(actor=secretary_a, update=sent, version=sent.version, comment="x")
    assert MonthlyUpdate.objects.get(pk=draft.pk).status == MonthlyStatus.SUBMITTED


def test_one_update_per_community_and_month(draft, secretary_a, community_a):
    with pytest.raises(ValidationError, match="2005年3月的月报已经存在"):
        make_update(secretary_a, community_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyUpdate.objects.create(
            community=community_a, period=MARCH, created_by=secretary_a, updated_by=secretary_a
        )
    assert MonthlyUpdate.objects.count() == 1


def test_no_update_for_a_month_not_begun(secretary_a, community_a):
    with pytest.raises(ValidationError, match="尚未开始"):
        monthly_update_create(
            actor=secretary_a, community=community_a, period=date(2005, 4, 1), data=CONTENT, now=at(MARCH)
        )


def test_the_period_is_a_months_first_day(secretary_a, community_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyUpdate.objects.create(
            community=community_a, period=date(2005, 3, 2), created_by=secretary_a, updated_by=secretary_a
        )


# -- optimistic locking ----------------------------------------------------------------------------


def test_a_stale_save_overwrites_nothing(draft, secretary_a):
    monthly_update_save(actor=secretary_a, update=draft, data={"key_work": "甲先保存"}, version=draft.version)
    with pytest.raises(StaleEdit) as caught:
        monthly_update_save(actor=secretary_a, update=draft, data={"key_work": "乙后保存"}, version=draft.version)
    assert caught.value.current.key_work == "甲先保存" and caught.value.current.version == 2
    draft.refresh_from_db()
    assert draft.key_work == "甲先保存" and draft.version == 2


def test_a_stale_submit_changes_nothing(draft, secretary_a):
    monthly_update_save(actor=secretary_a, update=draft, data={"key_work": "甲"}, version=draft.version)
    with pytest.raises(StaleEdit):
        monthly_update_submit(actor=secretary_a, update=draft, version=draft.version)
    draft.refresh_from_db()
    assert draft.key_work == "甲" and draft.status == MonthlyStatus.DRAFT


def test_a_stale_review_changes_nothing(draft, secretary_a, staff):
    sent = submitted(draft, secretary_a)
    monthly_update_return(actor=staff, update=sent, version=sent.version, comment="改")
    with pytest.raises(StaleEdit):
        monthly_update_accept(actor=staff, update=sent, version=sent.version)
    assert MonthlyUpdate.objects.get(pk=sent.pk).status == MonthlyStatus.RETURNED


# -- deadline ------------------------------------------------------------------------------------------


def test_submitting_on_the_deadline_is_on_time_and_the_day_after_is_late(secretary_a, community_a):
    on_time = submitted(make_update(secretary_a, community_a), secretary_a, at(DEADLINE, 23, 59))
    assert not on_time.is_late
    late = submitted(make_update(secretary_a, community_a, date(2005, 4, 1)), secretary_a, at(date(2005, 5, 6), 0, 5))
    assert late.is_late


def test_the_deadline_day_is_configurable(settings, secretary_a, community_a):
    settings.MONTHLY_UPDATE_DEADLINE_DAY = 10
    update = submitted(make_update(secretary_a, community_a), secretary_a, at(date(2005, 4, 8)))
    assert not update.is_late


# -- photos --------------------------------------------------------------------------------------------


def test_photos_are_checked_by_content(draft, secretary_a):
    saved = monthly_update_save(
        actor=secretary_a, update=draft, data={}, version=1, photos=[picture(), picture("现场.jpg", "JPEG")]
    )
    assert sorted(saved.photos.values_list("content_type", flat=True)) == ["image/jpeg", "image/png"]
    assert saved.photos.first().file.name.startswith("monthly/2005/03/")
    fake = SimpleUploadedFile("照片.jpg", b"MZ this is not a picture" * 10, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是 JPEG 或 PNG 图片"):
        monthly_update_save(actor=secretary_a, update=saved, data={}, version=saved.version, photos=[fake])
    big = SimpleUploadedFile("大.png", picture().read() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError, match="超过 5 MB"):
        monthly_update_save(actor=secretary_a, update=saved, data={}, version=saved.version, photos=[big])
    assert saved.photos.count() == 2
    assert MonthlyUpdate.objects.get(pk=draft.pk).version == 2  # the failed saves changed nothing


def test_photos_of_a_submitted_update_stay(draft, secretary_a):
    saved = monthly_update_save(actor=secretary_a, update=draft, data={}, version=1, photos=[picture()])
    sent = submitted(saved, secretary_a)
    with pytest.raises(ValidationError):
        monthly_update_photo_delete(actor=secretary_a, photo=sent.photos.get())
    assert sent.photos.count() == 1


# -- reminders -------------------------------------------------------------------------------------------


def test_reminders_go_out_once_however_often_the_job_runs(
    secretary_a, secretary_b, community_a, community_b, staff, django_capture_on_commit_callbacks
):
    # community B handed March in; A has only a draft
    submitted(make_update(secretary_b, community_b), secretary_b, at(date(2005, 4, 1)))
    make_update(secretary_a, community_a)
    assert monthly_reminders_send(today=date(2005, 4, 1)) == 0  # too early
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reminders_send(today=date(2005, 4, 2)) == 1  # three days before the deadline
        assert monthly_reminders_send(today=date(2005, 4, 2)) == 0
        assert monthly_reminders_send(today=date(2005, 4, 4)) == 0
    assert Notification.objects.get(recipient=staff).title == "待审核月报：丛树社区 2005年3月"  # B's, handed in
    notice = Notification.objects.exclude(recipient=staff).get()
    assert notice.recipient == secretary_a and "2005年3月月报将于2005年4月5日截止" in notice.title
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sec_a@example.invalid"]

    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reminders_send(today=date(2005, 4, 6)) == 1  # overdue
        assert monthly_reminders_send(today=date(2005, 4, 20)) == 0
    overdue = Notification.objects.latest("id")
    assert overdue.recipient == secretary_a and "已逾期" in overdue.title
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(recipient=secretary_b).exists()
    assert secretary_a.notifications.filter(read_at__isnull=True).count() == 2  # the unread count


def test_the_beat_task_runs_the_reminders(secretary_a, community_a, settings):
    """Last month's update does not exist and its deadline (the 1st) is today or past: the task,
    run twice, reminds the secretary once."""
    settings.MONTHLY_UPDATE_DEADLINE_DAY = 1
    monthly_reminders.delay()
    monthly_reminders.delay()
    notice = Notification.objects.get(recipient=secretary_a)
    assert notice.title.startswith("秀水社区：") and "?period=" in notice.url


def test_every_write_is_in_the_audit_log(draft, secretary_a, staff):
    from auditlog.models import LogEntry

    saved = monthly_update_save(actor=secretary_a, update=draft, data={"key_work": "审计可查"}, version=1)
    sent = submitted(saved, secretary_a)
    monthly_update_accept(actor=staff, update=sent, version=sent.version)
    entries = LogEntry.objects.get_for_object(draft).order_by("timestamp", "id")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE] + [LogEntry.Action.UPDATE] * 3
    edit, submit, accept = entries[1:]
    assert edit.actor == secretary_a and edit.changes_dict["key_work"][1] == "审计可查"
    assert submit.actor == secretary_a and submit.changes_dict["status"] == ["draft", "submitted"]
    assert accept.actor == staff and accept.changes_dict["status"] == ["submitted", "accepted"]
