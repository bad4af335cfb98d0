"""Nobody can rewrite the change log, and every write leaves an entry: the four writes that left none
(ballot codes, a cycle's recalculation, a standard reset by a rectification, an admin granting the
reveal permission), bulk and queryset writes, users and groups. Old entries are archived, then removed."""

import gzip
import hashlib
import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessment import services as assessment_services
from assessment.models import Appraisal, AppraisalCycle, BallotSession
from jiedao import audit
from showcase import services as showcase_services
from showcase.models import Rectification, StandardCheck
from tests.communities.factories import CadreFactory, PartyMemberFactory
from tests.showcase.factories import check_of, make_programme, make_site

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def an_entry(staff, community):
    return LogEntry.objects.log_create(
        community, action=LogEntry.Action.UPDATE, changes={"name": ["a", "b"]}, actor=staff
    )


# -- append-only --------------------------------------------------------------------------------


@postgres_only
def test_the_applications_connection_cannot_update_or_delete_entries(staff, community_a):
    entry = an_entry(staff, community_a)
    for sql in (
        "UPDATE auditlog_logentry SET changes_text = 'rewritten' WHERE id = %s",
        "UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s AND false",  # (nothing) stays allowed
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        if "AND false" in sql:
            continue
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.object_repr == str(community_a) and entry.changes_dict == {"name": ["a", "b"]}


@postgres_only
def test_a_changed_actor_is_refused_but_deleting_the_user_keeps_the_entry(staff, make_user, community_a):
    leaver = make_user("leaver", email="leaver@example.invalid")
    entry = an_entry(leaver, community_a)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(actor=staff)  # pinning it on someone else
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(actor=None, object_repr="x")  # with other changes
    leaver.delete()  # on_delete=SET_NULL: the one update let through
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.changes_dict == {"name": ["a", "b"]}


@postgres_only
def test_only_the_retention_job_may_delete_and_only_while_it_runs(staff, community_a):
    young = an_entry(staff, community_a)
    backdate(young, 200)
    with transaction.atomic():  # the job inside a larger transaction
        assert audit.purge_expired()["count"] == 1
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            LogEntry.objects.filter(pk=young.pk).delete()  # the job's permission ended with it
    assert LogEntry.objects.filter(pk=young.pk).exists()


# -- retention ----------------------------------------------------------------------------------


def backdate(entry, days):
    """Entries cannot be updated: make an old one by inserting it with its time."""
    old = LogEntry.objects.create(
        content_type=entry.content_type,
        object_pk=entry.object_pk,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        action=entry.action,
        changes=entry.changes,
        actor=entry.actor,
        timestamp=timezone.now() - timedelta(days=days),
    )
    return old


def read_archive(name):
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    with default_storage.open(f"{name}.sha256", "rb") as handle:
        recorded = handle.read().decode().split()[0]
    assert hashlib.sha256(data).hexdigest() == recorded
    return [json.loads(line) for line in gzip.decompress(data).decode().splitlines()]


def test_old_entries_are_archived_then_removed_young_ones_stay(staff, community_a):
    template = an_entry(staff, community_a)
    old = [backdate(template, 181), backdate(template, 400)]
    young = [backdate(template, 179), template]
    result = audit.purge_expired()
    assert result["count"] == 2
    archived = read_archive(result["name"])
    assert sorted(row["id"] for row in archived) == sorted(e.pk for e in old)
    assert all(row["object_repr"] == str(community_a) and row["actor_id"] == staff.pk for row in archived)
    assert not LogEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert LogEntry.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    assert audit.purge_expired()["count"] == 0  # nothing due: no file


def test_the_retention_period_is_configurable(settings, staff, community_a):
    settings.AUDIT_RETENTION_DAYS = 365
    template = an_entry(staff, community_a)
    kept, gone = backdate(template, 200), backdate(template, 366)
    assert audit.purge_expired()["count"] == 1
    assert LogEntry.objects.filter(pk=kept.pk).exists() and not LogEntry.objects.filter(pk=gone.pk).exists()


def test_nothing_is_deleted_when_the_archive_does_not_match(monkeypatch, staff, community_a):
    old = backdate(an_entry(staff, community_a), 200)
    real_open = default_storage.open

    def damaged_open(name, mode="rb"):
        handle = real_open(name, mode)
        data = handle.read()
        handle.close()
        from django.core.files.base import ContentFile

        return ContentFile(data[:-1])

    monkeypatch.setattr(default_storage, "open", damaged_open)
    with pytest.raises(RuntimeError, match="checksum"):
        audit.purge_expired()
    assert LogEntry.objects.filter(pk=old.pk).exists()


def test_the_command_and_the_daily_job(staff, community_a):
    from jiedao.celery import app
    from jiedao.tasks import audit_purge

    old = backdate(an_entry(staff, community_a), 190)
    call_command("audit_purge")
    assert not LogEntry.objects.filter(pk=old.pk).exists()
    backdate(an_entry(staff, community_a), 190)
    assert audit_purge.delay().get() == 1
    job = app.conf.beat_schedule["jiedao-audit-purge"]
    assert job["task"] == "jiedao.audit_purge"


def test_a_retention_below_180_days_is_refused_at_start_up(settings):
    settings.AUDIT_RETENTION_DAYS = 179
    assert [e.id for e in audit.check_retention_days()] == ["jiedao.E101"]
    settings.AUDIT_RETENTION_DAYS = 180
    assert audit.check_retention_days() == []


# -- the four writes that left no entry -----------------------------------------------------------


@pytest.fixture
def cycle(staff, community_a):
    CadreFactory(community=community_a, name="张国华", post="党委书记")
    cycle = assessment_services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    assessment_services.cycle_start(actor=staff, cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def test_starting_a_cycle_logs_the_appraisals_it_creates(cycle):
    appraisal = cycle.appraisals.get()
    assert entries_for(appraisal).filter(action=LogEntry.Action.CREATE).exists()


def test_issuing_ballot_codes_leaves_an_entry_without_the_codes(staff, cycle, community_a):
    session = assessment_services.session_save(
        actor=staff, session=BallotSession(cycle=cycle, community=community_a, expected_voters=10)
    )
    codes = assessment_services.ballot_codes_issue(actor=staff, session=session, count=3)
    entry = entries_for(session).last()
    assert entry.actor == staff and entry.changes_dict == {"codes_issued": ["0", "3"]}
    every_entry = " ".join(e.changes_text or "" for e in LogEntry.objects.all()) + " ".join(
        json.dumps(e.changes) for e in LogEntry.objects.all()
    )
    assert not any(code in every_entry for code in codes)


def test_recalculating_a_cycle_logs_grades_and_pay_coefficients(staff, cycle):
    appraisal = cycle.appraisals.get()
    scores = dict.fromkeys(("score_de", "score_neng", "score_qin", "score_ji", "score_lian", "target_score"), 90)
    Appraisal.objects.filter(pk=appraisal.pk).update(**scores)  # scored, not yet calculated
    before = entries_for(appraisal).count()
    assessment_services.cycle_recalculate(actor=staff, cycle=cycle)
    new = list(entries_for(appraisal))[before:]
    assert new, "the recalculation left no entry"
    assert new[-1].actor == staff and set(new[-1].changes_dict) & set(assessment_services.RESULT_FIELDS)


def test_closing_a_cycle_logs_the_sessions_it_closes(staff, cycle, community_a):
    session = assessment_services.session_save(
        actor=staff, session=BallotSession(cycle=cycle, community=community_a, expected_voters=10)
    )
    assessment_services.cycle_close(actor=staff, cycle=cycle)
    assert entries_for(session).last().changes_dict == {"voting_closed": ["False", "True"]}


def test_a_rectification_resetting_a_standard_leaves_an_entry(staff, inspector, community_a):
    programme = make_programme(staff)
    site = make_site(staff, programme, community_a)
    check = check_of(site, "A")
    assert entries_for(check).filter(action=LogEntry.Action.CREATE).exists()  # created in bulk, logged
    showcase_services.check_record(actor=inspector, check=check, met=True)
    item = showcase_services.rectification_open(
        actor=inspector,
        rectification=Rectification(
            site=site, standard=check.standard, description="公开栏未更新", deadline="2099-01-01"
        ),
    )
    entry = entries_for(check).last()
    assert entry.actor == inspector and entry.changes_dict["met"] == ["True", "False"]
    assert item.pk and StandardCheck.objects.get(pk=check.pk).met is False


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    client.force_login(admin)
    return client, admin


def test_an_admin_granting_the_reveal_permission_leaves_an_entry(admin_client, staff):
    client, admin = admin_client
    reveal = Permission.objects.get(content_type__app_label="communities", codename="reveal_identity")
    page = client.get(reverse("admin:auth_user_change", args=[staff.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "user_permissions": [reveal.pk],
            "groups": [g.pk for g in staff.groups.all()],
            "date_joined_0": timezone.localtime(staff.date_joined).strftime("%Y-%m-%d"),
            "date_joined_1": timezone.localtime(staff.date_joined).strftime("%H:%M:%S"),
        }
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data.pop("password", None)
    response = client.post(reverse("admin:auth_user_change", args=[staff.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert staff.user_permissions.filter(pk=reveal.pk).exists()
    entry = entries_for(staff).filter(changes__has_key="user_permissions").last()
    assert entry is not None and entry.actor == admin
    assert entry.changes_dict["user_permissions"]["operation"] == "add"
    assert any("reveal" in str(o) or str(reveal) == str(o) for o in entry.changes_dict["user_permissions"]["objects"])


def test_group_membership_and_password_changes_leave_entries_without_the_hash(staff, make_user):
    from django.contrib.auth.models import Group

    user = make_user("newcomer")
    group = Group.objects.create(name="街道审计组")
    user.groups.add(group)
    assert entries_for(user).filter(changes__groups__operation="add").exists()
    old_hash = user.password
    user.set_password("another-pw-for-tests-2")
    user.save()
    entry = entries_for(user).last()
    assert entry.changes_dict == {"password": ["", "changed"]}
    text = " ".join(json.dumps(e.changes) + (e.changes_text or "") for e in entries_for(user))
    assert old_hash not in text and user.password not in text


def test_roster_imports_still_log_one_entry_per_row(staff, community_a):
    from communities.services import party_member_bulk_save

    member = PartyMemberFactory.build(community=community_a)
    party_member_bulk_save(actor=staff, created=[member], updated=[])
    assert entries_for(member).filter(action=LogEntry.Action.CREATE, actor=staff).exists()


def test_log_update_records_f_expressions_and_skips_unchanged_rows(staff, community_a):
    from django.db.models import F

    programme = make_programme(staff)
    site = make_site(staff, programme, community_a)
    checks = StandardCheck.objects.filter(site=site)
    met_before = {c.pk: c.met for c in checks}
    count = audit.log_update(checks, actor=staff, met=~F("met"))
    assert count == len(met_before)
    for pk, met in met_before.items():
        entry = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(StandardCheck), object_pk=str(pk)
        ).latest("pk")
        assert entry.changes_dict == {"met": [str(met), str(not met)]}
    before = LogEntry.objects.count()
    audit.log_update(checks, actor=staff, met=F("met"))  # no change: no entries
    assert LogEntry.objects.count() == before


def test_queryset_updates_respect_the_registration(staff, community_a):
    """Only the fields auditlog tracks are logged, masked fields masked."""
    from communities.models import PartyMember
    from jiedao.models import AnnualReport

    report = AnnualReport.objects.create(year=2005, version=1, requested_by=staff)
    audit.log_update(
        AnnualReport.objects.filter(pk=report.pk), actor=None, status=AnnualReport.Status.RUNNING, progress=7
    )
    entry = entries_for(report).latest("pk")
    assert set(entry.changes_dict) == {"status"}  # progress is not tracked (include_fields)
    member = PartyMemberFactory(community=community_a, mobile="13900001111")
    audit.log_update(PartyMember.objects.filter(pk=member.pk), actor=staff, mobile="13987654321")
    entry = entries_for(member).latest("pk")
    assert "13987654321" not in json.dumps(entry.changes) and set(entry.changes_dict) == {"mobile"}


def test_a_report_build_logs_its_status_changes(staff, settings, tmp_path):
    from jiedao.models import AnnualReport
    from jiedao.reporting.build import annual_report_fail

    report = AnnualReport.objects.create(year=2005, version=1, requested_by=staff)
    annual_report_fail(report_id=report.pk, error="boom")
    entry = entries_for(report).latest("pk")
    assert entry.changes_dict["status"][1] == AnnualReport.Status.FAILED
