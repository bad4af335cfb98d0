"""Every write to appraisals, ballots and the training ledger."""

import copy
import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import scoring, selectors
from assessment.choices import Choice, CycleStatus
from assessment.models import (
    Appraisal,
    AppraisalCycle,
    BallotCode,
    BallotSession,
    OnlineTally,
    PaperTally,
    SlipJob,
    TrainingEvent,
    TrainingRecord,
    TrainingRequirement,
)
from assessment.slips import format_code as format_code  # re-exported: the views format codes through services
from assessment.slips import slip_job_fail
from assessment.tasks import SLIPS_TIME_LIMIT, ballot_slips_build
from jiedao.audit import log_bulk, log_event, log_update
from jiedao.permissions import Role, ensure_role
from jiedao.uploads import check_upload

# 12 symbols from a 32-letter alphabet without 0/O and 1/I: 60 random bits per code. With a few
# thousand live codes a guess succeeds with odds below 1 in 10^14, and the voting page also
# limits failed attempts per address (assessment.public_views.CODE_ATTEMPTS_PER_HOUR).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12
MAX_CODES_PER_BATCH = 1000
# A slip build whose progress has not moved for longer than its task may run died with its worker.
SLIP_JOB_STALE_AFTER = timedelta(seconds=SLIPS_TIME_LIMIT + 60)


class BallotRejected(Exception):
    """The code is unknown, spent, or its cycle is not open for voting."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _ensure_not_closed(cycle: AppraisalCycle) -> None:
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("This appraisal cycle is closed and can no longer change."))


def _locked_cycle(cycle_id: int) -> AppraisalCycle:
    """The cycle row, locked: a close cannot slip between our check and our write."""
    return AppraisalCycle.objects.select_for_update().get(pk=cycle_id)


# -- cycles ------------------------------------------------------------------------------------


@transaction.atomic
def cycle_save(*, actor, cycle: AppraisalCycle) -> AppraisalCycle:
    ensure_role(actor, Role.STAFF)
    if cycle.pk:
        _ensure_not_closed(_locked_cycle(cycle.pk))
    else:
        cycle.status = CycleStatus.DRAFT
    if cycle.weight_committee + cycle.weight_democratic + cycle.weight_target != 100:
        raise ValidationError({"weight_target": _("The three weights must add up to 100.")})
    if not (cycle.band_excellent > cycle.band_competent > cycle.band_basic):
        raise ValidationError({"band_basic": _("The grade thresholds must fall from excellent to basic.")})
    cycle.full_clean()
    cycle.save()
    if cycle.status == CycleStatus.OPEN:
        _recalculate(cycle, actor=actor)
    return cycle


@transaction.atomic
def cycle_start(*, actor, cycle: AppraisalCycle) -> int:
    """Draft → in progress: one appraisal for every cadre in office during the year. Returns
    how many appraisals were created."""
    ensure_role(actor, Role.STAFF)
    cycle = _locked_cycle(cycle.pk)
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError(_("Only a draft cycle can be started."))
    existing = set(cycle.appraisals.values_list("cadre_id", flat=True))
    new = [
        Appraisal(cycle=cycle, cadre_id=cadre_id)
        for cadre_id in selectors.cadres_in_office(cycle.year).values_list("pk", flat=True)
        if cadre_id not in existing
    ]
    Appraisal.objects.bulk_create(new)
    log_bulk(actor=actor, created=new)  # bulk_create sends no signal
    cycle.status = CycleStatus.OPEN
    cycle.save(update_fields=["status", "updated_at"])
    return len(new)


@transaction.atomic
def cycle_close(*, actor, cycle: AppraisalCycle) -> AppraisalCycle:
    """In progress → closed, after a last calculation. A closed cycle never changes again."""
    ensure_role(actor, Role.STAFF)
    cycle = _locked_cycle(cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError(_("Only a cycle in progress can be closed."))
    log_update(cycle.sessions.all(), actor=actor, voting_closed=True)
    _recalculate(cycle, actor=actor)
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status", "updated_at"])
    return cycle


@transaction.atomic
def cycle_recalculate(*, actor, cycle: AppraisalCycle) -> None:
    ensure_role(actor, Role.STAFF)
    cycle = _locked_cycle(cycle.pk)
    _ensure_not_closed(cycle)
    _recalculate(cycle, actor=actor)


def _apply(appraisal: Appraisal, cycle: AppraisalCycle, tally: scoring.Tally) -> None:
    appraisal.committee_score = scoring.committee_score(
        [appraisal.score_de, appraisal.score_neng, appraisal.score_qin, appraisal.score_ji, appraisal.score_lian]
    )
    appraisal.democratic_score = scoring.democratic_score(tally, selectors.points_of(cycle))
    appraisal.satisfaction = scoring.satisfaction_rate(tally)
    appraisal.total = scoring.weighted_total(
        committee=appraisal.committee_score,
        democratic=appraisal.democratic_score,
        target=appraisal.target_score,
        weights=(cycle.weight_committee, cycle.weight_democratic, cycle.weight_target),
    )
    appraisal.grade = scoring.grade_for(appraisal.total, veto=appraisal.veto, bands=selectors.bands_of(cycle))
    appraisal.pay_coefficient = cycle.pay_for(appraisal.grade) if appraisal.grade else None


RESULT_FIELDS = ["committee_score", "democratic_score", "satisfaction", "total", "grade", "pay_coefficient"]


def _recalculate(cycle: AppraisalCycle, *, actor) -> None:
    by_cadre = selectors.tallies(cycle_id=cycle.pk)
    appraisals = list(cycle.appraisals.all())
    before = [copy.copy(appraisal) for appraisal in appraisals]
    for appraisal in appraisals:
        _apply(appraisal, cycle, by_cadre.get(appraisal.cadre_id, scoring.Tally()))
    Appraisal.objects.bulk_update(appraisals, RESULT_FIELDS, batch_size=500)
    log_bulk(actor=actor, updated=zip(before, appraisals, strict=True))  # grades and pay coefficients


# -- appraisals ---------------------------------------------------------------------------------

# PDF, Word (.docx, .doc), JPEG, PNG
REPORT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "image/jpeg",
    "image/png",
}
REPORT_MAX_BYTES = 10 * 1024 * 1024


def _check_report_file(upload) -> None:
    check_upload(
        upload,
        allowed_mimes=REPORT_TYPES,
        max_bytes=REPORT_MAX_BYTES,
        too_large_message=_("The file is larger than 10 MB."),
        wrong_type_message=_("Only PDF, Word, JPEG or PNG files can be uploaded."),
        field="report_file",
    )


@transaction.atomic
def appraisal_save(*, actor, appraisal: Appraisal, report_upload=None) -> Appraisal:
    """Staff record the work report, the committee's five scores and any veto; the totals and the
    grade follow. The target score is not typed: it comes from the year's target sheet when the
    sheet is finalised (`target_sheet_finalise`), so the stored one is kept here."""
    ensure_role(actor, Role.STAFF)
    cycle = _locked_cycle(appraisal.cycle_id)
    _ensure_not_closed(cycle)
    if appraisal.pk:
        appraisal.target_score = Appraisal.objects.values_list("target_score", flat=True).get(pk=appraisal.pk)
    if appraisal.veto and not appraisal.veto_reason.strip():
        raise ValidationError({"veto_reason": _("Give the reason for the one-vote veto.")})
    if not appraisal.veto:
        appraisal.veto_reason = ""
    if report_upload is not None:
        _check_report_file(report_upload)
        appraisal.report_file_name = report_upload.name[-200:]
        appraisal.report_file.save(report_upload.name, report_upload, save=False)
    tally = selectors.tallies(cycle_id=cycle.pk, community_id=appraisal.cadre.community_id).get(
        appraisal.cadre_id, scoring.Tally()
    )
    _apply(appraisal, cycle, tally)
    appraisal.full_clean()
    appraisal.save()
    return appraisal


# -- ballot sessions, codes and paper tallies ----------------------------------------------------


@transaction.atomic
def session_save(*, actor, session: BallotSession) -> BallotSession:
    ensure_role(actor, Role.STAFF)
    _ensure_not_closed(_locked_cycle(session.cycle_id))
    if session.pk:
        spent = session.codes.filter(spent=True).count()
        if spent + session.paper_present > session.expected_voters:
            raise ValidationError({"expected_voters": _("Fewer expected voters than have already voted.")})
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_close_voting(*, actor, session: BallotSession) -> BallotSession:
    """End online voting for the session: unused codes stop working, and the online ballots join
    the tally (they stay hidden until then, so a live tally cannot be matched to spent codes)."""
    ensure_role(actor, Role.STAFF)
    cycle = _locked_cycle(session.cycle_id)
    _ensure_not_closed(cycle)
    session = BallotSession.objects.select_for_update().get(pk=session.pk)
    if session.voting_closed:
        raise ValidationError(_("Online voting for this session is already closed."))
    session.voting_closed = True
    session.save(update_fields=["voting_closed", "updated_at"])
    # The last cast left its transaction id on the counters and on its spent code: rewrite the
    # counters once more so that nothing in the stored rows points at the last code either.
    _rewrite_tallies(session)
    _recalculate(cycle, actor=actor)
    return session


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def ballot_codes_issue(*, actor, session: BallotSession, count: int) -> list[str]:
    """New one-time codes for the session; never more codes than expected voters."""
    ensure_role(actor, Role.STAFF)
    _ensure_not_closed(_locked_cycle(session.cycle_id))
    session = BallotSession.objects.select_for_update().get(pk=session.pk)
    if session.voting_closed:
        raise ValidationError({"count": _("Online voting for this session is closed.")})
    if count < 1 or count > MAX_CODES_PER_BATCH:
        raise ValidationError({"count": _("Issue between 1 and 1000 codes at a time.")})
    issued = session.codes.count()
    if issued + count > session.expected_voters:
        raise ValidationError(
            {
                "count": _("Only %(n)s more codes can be issued for the expected voters.")
                % {"n": max(0, session.expected_voters - issued)}
            }
        )
    codes = set()
    while len(codes) < count:
        codes.add(_new_code())
    BallotCode.objects.bulk_create([BallotCode(session=session, code=c) for c in codes])
    # How many codes were issued, never the codes (ballot codes are not audited: anonymity).
    log_event(session, actor=actor, changes={"codes_issued": (issued, issued + count)})
    _ensure_tallies(session)
    return sorted(codes)


def slip_job_request(*, actor, session: BallotSession, base_url: str) -> SlipJob:
    """Queue a build of the session's ballot-slip PDF, or return the build already queued or
    running (pressing 打印 twice starts one build). The PDF is made by a Celery task."""
    ensure_role(actor, Role.STAFF)
    with transaction.atomic():
        session = BallotSession.objects.select_for_update().select_related("cycle").get(pk=session.pk)
        if session.cycle.is_closed or session.voting_closed:
            raise ValidationError(_("Online voting for this session is closed."))
        active = session.slip_jobs.filter(status__in=SlipJob.ACTIVE).first()
        if active is not None and active.updated_at < timezone.now() - SLIP_JOB_STALE_AFTER:
            slip_job_fail(job_id=active.pk, error=_("The build stopped without finishing (its worker was lost)."))
            active = None
        if active is not None:
            return active
        job = SlipJob(session=session, requested_by=actor, base_url=base_url)
        job.full_clean()
        job.save()
        transaction.on_commit(lambda: ballot_slips_build.delay(job.pk))
    return job


@transaction.atomic
def paper_tally_save(
    *, actor, session: BallotSession, present: int, valid: int, invalid: int, counts: dict[int, tuple[int, int, int]]
) -> BallotSession:
    """Record the counted paper ballots: 实到, 有效, 废票 and every cadre's three counts."""
    ensure_role(actor, Role.STAFF)
    cycle = _locked_cycle(session.cycle_id)
    _ensure_not_closed(cycle)
    session = BallotSession.objects.select_for_update().get(pk=session.pk)
    errors = {}
    if valid + invalid != present:
        errors["paper_present"] = _("Present must equal valid plus spoilt ballots.")
    spent = session.codes.filter(spent=True).count()
    if present + spent > session.expected_voters:
        errors["paper_present"] = _(
            "Paper and online voters together (%(n)s) exceed the expected voters (%(expected)s)."
        ) % {"n": present + spent, "expected": session.expected_voters}
    cadres = {c.pk: c for c in selectors.ballot_cadres(session)}
    for cadre_id, triple in counts.items():
        if cadre_id not in cadres:
            raise ValidationError(_("A cadre who is not on this ballot was given."))
        if sum(triple) != valid:
            errors[f"cadre_{cadre_id}"] = _(
                "%(cadre)s: the three counts add up to %(sum)s, not to the %(valid)s valid ballots."
            ) % {"cadre": cadres[cadre_id].name, "sum": sum(triple), "valid": valid}
    if errors:
        raise ValidationError(errors)
    session.paper_present, session.paper_valid, session.paper_invalid = present, valid, invalid
    session.full_clean()
    session.save()
    for cadre_id in cadres:
        satisfied, basic, unsatisfied = counts.get(cadre_id, (0, 0, 0))
        PaperTally.objects.update_or_create(
            session=session,
            cadre_id=cadre_id,
            defaults={"satisfied": satisfied, "basic": basic, "unsatisfied": unsatisfied},
        )
    if cycle.status == CycleStatus.OPEN:
        _recalculate(cycle, actor=actor)
    return session


def ballot_check_code(raw: str) -> BallotCode:
    """The unspent code's row, or BallotRejected saying why not."""
    code = (
        BallotCode.objects.select_related("session__cycle", "session__community")
        .filter(code=normalise_code(raw))
        .first()
    )
    if code is None:
        raise BallotRejected(_("This code is not valid. Check it and try again."))
    if code.spent:
        raise BallotRejected(_("This code has already been used."))
    if code.session.cycle.status != CycleStatus.OPEN or code.session.voting_closed:
        raise BallotRejected(_("Voting with this code is not open."))
    return code


def _ensure_tallies(session: BallotSession) -> None:
    """A zeroed counter for every (cadre, rating) on the session's ballot, created before the
    first vote where possible (when codes are issued), so that no row appears because of a vote."""
    cadre_ids = selectors.ballot_cadres(session).values_list("pk", flat=True)
    wanted = {(cadre_id, choice) for cadre_id in cadre_ids for choice in Choice.values}
    have = set(OnlineTally.objects.filter(session=session).values_list("cadre_id", "choice"))
    OnlineTally.objects.bulk_create(
        [OnlineTally(session=session, cadre_id=cadre_id, choice=choice) for cadre_id, choice in sorted(wanted - have)]
    )


def _rewrite_tallies(session: BallotSession, ratings: dict[int, str] | None = None) -> None:
    """Add one to each chosen (cadre, rating) counter and zero to all the others, in one UPDATE of
    every counter row of the session: each row gets a new version with the same transaction id
    (xmin) and its place on disk moves the same way whatever was chosen. The rows are locked in
    primary-key order first, so two casts never deadlock."""
    rows = OnlineTally.objects.filter(session=session)
    list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
    chosen = Q(pk__in=[])
    for cadre_id, choice in (ratings or {}).items():
        chosen |= Q(cadre_id=cadre_id, choice=choice)
    rows.update(count=F("count") + Case(When(chosen, then=Value(1)), default=Value(0)))


@transaction.atomic
def ballot_cast(*, code: str, ratings: dict[int, str]) -> None:
    """Spend the code and add the ballot to the session's counters; no row of the ballot itself
    is stored. Casts in one session queue on the session's row lock; of two submissions racing
    with one code, the second then finds the code spent and is refused — one ballot, however
    close together they come."""
    row = ballot_check_code(code)
    session = BallotSession.objects.select_for_update(no_key=True).select_related("cycle").get(pk=row.session_id)
    if session.cycle.status != CycleStatus.OPEN or session.voting_closed:  # closed while we waited
        raise BallotRejected(_("Voting with this code is not open."))
    cadre_ids = set(selectors.ballot_cadres(session).values_list("pk", flat=True))
    if set(ratings) != cadre_ids or any(value not in Choice.values for value in ratings.values()):
        raise ValidationError(_("Rate every cadre on the ballot."))
    spent = BallotCode.objects.filter(pk=row.pk, spent=False).update(spent=True)
    if not spent:
        raise BallotRejected(_("This code has already been used."))
    _ensure_tallies(session)
    _rewrite_tallies(session, ratings)


# -- training -----------------------------------------------------------------------------------


@transaction.atomic
def training_event_save(*, actor, event: TrainingEvent) -> TrainingEvent:
    ensure_role(actor, Role.STAFF)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def training_event_delete(*, actor, event: TrainingEvent) -> None:
    ensure_role(actor, Role.STAFF)
    event.delete()


@transaction.atomic
def training_record_save(*, actor, record: TrainingRecord) -> TrainingRecord:
    ensure_role(actor, Role.STAFF)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def training_record_delete(*, actor, record: TrainingRecord) -> None:
    ensure_role(actor, Role.STAFF)
    record.delete()


@transaction.atomic
def training_requirement_set(*, actor, year: int, minimum_hours: Decimal) -> TrainingRequirement:
    ensure_role(actor, Role.STAFF)
    requirement = TrainingRequirement.objects.filter(year=year).first() or TrainingRequirement(year=year)
    requirement.minimum_hours = minimum_hours
    requirement.full_clean()
    requirement.save()
    return requirement


# The target sheets (目标管理考核) live in their own module; re-exported here.
from assessment.services.targets import target_appeal_decide as target_appeal_decide  # noqa: E402
from assessment.services.targets import target_appeal_file as target_appeal_file  # noqa: E402
from assessment.services.targets import target_item_delete as target_item_delete  # noqa: E402
from assessment.services.targets import target_item_save as target_item_save  # noqa: E402
from assessment.services.targets import target_manual_score as target_manual_score  # noqa: E402
from assessment.services.targets import target_sheet_finalise as target_sheet_finalise  # noqa: E402
from assessment.services.targets import target_sheet_publish as target_sheet_publish  # noqa: E402
from assessment.services.targets import target_sheet_save as target_sheet_save  # noqa: E402
from assessment.services.targets import target_sheet_score as target_sheet_score  # noqa: E402
