"""Every write to the target sheets (目标管理考核): items, scoring from the records, manual scores
with evidence, publication, appeals and their decisions, and the final result into the appraisal.

A sheet is a draft while staff set it up and score it (evidence items are recomputed from the
records on demand; manual items need a file or a link to a record). Publication freezes it: from
then on a score changes only by a staff decision on an appeal. Finalising writes each community's
total into its cadres' `Appraisal.target_score` (capped at 100) and recalculates the cycle.
"""

import copy
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.choices import AppealStatus, SheetStatus, TargetKind
from assessment.models import Appraisal, AppraisalCycle, TargetAppeal, TargetItem, TargetScore, TargetSheet
from assessment.scorers import measure_all, points_for
from assessment.selectors.targets import sheet_results
from assessment.services import _locked_cycle, _recalculate
from communities.models import Community
from jiedao.audit import log_bulk
from jiedao.permissions import Role, ensure_can_appeal_target, ensure_role
from jiedao.uploads import check_upload
from jiedao.workdays import add_workdays
from showcase.models import Programme

EVIDENCE_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/jpeg",
    "image/png",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
HUNDRED = Decimal(100)


def _locked_sheet(sheet_id: int) -> TargetSheet:
    return TargetSheet.objects.select_for_update().get(pk=sheet_id)


def _ensure_draft(sheet: TargetSheet) -> None:
    if not sheet.is_draft:
        raise ValidationError(_("This target sheet has been published: its scores change only by an appeal decision."))


# -- the sheet and its items -------------------------------------------------------------------


@transaction.atomic
def target_sheet_save(*, actor, sheet: TargetSheet) -> TargetSheet:
    ensure_role(actor, Role.STAFF)
    if sheet.pk:
        _ensure_draft(_locked_sheet(sheet.pk))
    else:
        sheet.status = SheetStatus.DRAFT
    sheet.full_clean()
    sheet.save()
    return sheet


def _showcase_cap(year: int) -> Decimal | None:
    """The bonus the year's demonstration programme allows (年底以加分形式计入考核总分), if any."""
    return Programme.objects.filter(year=year).values_list("bonus_points", flat=True).first()


@transaction.atomic
def target_item_save(*, actor, item: TargetItem) -> TargetItem:
    ensure_role(actor, Role.STAFF)
    _ensure_draft(_locked_sheet(item.sheet_id))
    if item.kind == TargetKind.SHOWCASE:
        cap = _showcase_cap(item.sheet.year)
        if cap is None:
            raise ValidationError({"kind": _("There is no demonstration programme for this year.")})
        if item.max_points is not None and item.max_points > cap:
            raise ValidationError(
                {"max_points": _("The programme allows at most %(cap)s bonus points.") % {"cap": cap}}
            )
    for name in ("zero_at", "full_at", "progress_share"):
        if name in (item.params or {}):
            try:
                Decimal(str(item.params[name]))
            except ArithmeticError:
                raise ValidationError({"params": _("Scoring rule values must be numbers.")}) from None
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def target_item_delete(*, actor, item: TargetItem) -> None:
    ensure_role(actor, Role.STAFF)
    _ensure_draft(_locked_sheet(item.sheet_id))
    item.delete()


@transaction.atomic
def target_sheet_score(*, actor, sheet: TargetSheet, as_of: date | None = None) -> int:
    """Score every evidence item for every community from the records as they stand on `as_of`
    (today by default), and make the rows of the manual items. Returns the rows written."""
    ensure_role(actor, Role.STAFF)
    sheet = _locked_sheet(sheet.pk)
    _ensure_draft(sheet)
    as_of = as_of or timezone.localdate()
    community_ids = list(Community.objects.order_by("code").values_list("pk", flat=True))
    now = timezone.now()
    written = 0
    for item in sheet.items.all():
        existing = {s.community_id: s for s in item.scores.all()}
        measures = (
            {}
            if item.is_manual
            else measure_all(item.kind, year=sheet.year, community_ids=community_ids, as_of=as_of, params=item.params)
        )
        for community_id in community_ids:
            score = existing.get(community_id) or TargetScore(item=item, community_id=community_id)
            if not item.is_manual:
                measure = measures[community_id]
                score.numerator, score.denominator, score.value = measure.numerator, measure.denominator, measure.value
                score.points = score.computed_points = points_for(
                    item.kind, measure, max_points=item.max_points, params=item.params
                )
                score.evidence = [row.as_dict() for row in measure.rows]
                score.scored_at = now
            elif score.pk:
                continue
            score.full_clean()
            score.save()  # audited: every change of a score is in the change log
            written += 1
    return written


def _check_link(link: str) -> str:
    """A link to a record is a path of this portal that names a page (/communities/3/ …)."""
    link = (link or "").strip()
    if not link:
        return ""
    if not link.startswith("/") or link.startswith("//"):
        raise ValidationError({"evidence_link": _("Give the address of a page of this portal, starting with /.")})
    try:
        resolve(link.split("?")[0])
    except Resolver404:
        raise ValidationError({"evidence_link": _("No page of this portal has that address.")}) from None
    return link


@transaction.atomic
def target_manual_score(
    *, actor, score: TargetScore, points: Decimal, note: str = "", upload=None, link: str = ""
) -> TargetScore:
    """Staff score a manual item for a community; it must carry evidence — an uploaded file or a
    link to a record in the portal — before it can score."""
    ensure_role(actor, Role.STAFF)
    _ensure_draft(_locked_sheet(score.item.sheet_id))
    score = TargetScore.objects.select_for_update().select_related("item").get(pk=score.pk)
    if not score.item.is_manual:
        raise ValidationError(_("This item is scored from the records, not by hand."))
    if points is None or points < 0 or points > score.item.max_points:
        raise ValidationError({"points": _("Points must be between 0 and %(max)s.") % {"max": score.item.max_points}})
    score.evidence_link = _check_link(link)
    if upload is not None:
        kind = check_upload(
            upload,
            allowed_mimes=EVIDENCE_TYPES,
            max_bytes=EVIDENCE_MAX_BYTES,
            too_large_message=_("The file is larger than 10 MB."),
            wrong_type_message=_("Only PDF, Word, Excel, JPEG or PNG files can be uploaded."),
            field="upload",
        )
        score.evidence_file_name = upload.name[-200:]
        score.evidence_file_type = getattr(kind, "mime", "") or ""
        score.evidence_file.save(upload.name, upload, save=False)
    if not score.has_evidence:
        raise ValidationError(
            _("A manual score needs evidence: upload a file or give the link to a record in the portal.")
        )
    score.points = score.computed_points = Decimal(points).quantize(Decimal("0.01"))
    score.note = note
    score.scored_at = timezone.now()
    score.evidence = [{"label": note or score.item.name, "state": _("scored by staff"), "counts": True, "url": ""}]
    score.full_clean()
    score.save()
    return score


@transaction.atomic
def target_sheet_publish(*, actor, sheet: TargetSheet, on: date | None = None) -> TargetSheet:
    """Draft → published: the scores are shown to the secretaries and the appeal window opens
    (`appeal_workdays` working days from `on`)."""
    ensure_role(actor, Role.STAFF)
    sheet = _locked_sheet(sheet.pk)
    _ensure_draft(sheet)
    items = list(sheet.items.all())
    if not items:
        raise ValidationError(_("The sheet has no items."))
    base = sum((i.max_points for i in items if not i.is_bonus), Decimal(0))
    if base != HUNDRED:
        raise ValidationError(
            _("The items other than the bonus must add up to 100 points (now %(points)s).") % {"points": base}
        )
    communities = Community.objects.count()
    scores = TargetScore.objects.filter(item__sheet=sheet)
    if scores.filter(points__isnull=False).count() != len(items) * communities:
        raise ValidationError(_("Score every item for every community before publishing (manual items too)."))
    on = on or timezone.localdate()
    sheet.status = SheetStatus.PUBLISHED
    sheet.published_on = on
    sheet.appeal_until = add_workdays(on, sheet.appeal_workdays)
    sheet.full_clean()
    sheet.save()
    return sheet


# -- appeals -----------------------------------------------------------------------------------


@transaction.atomic
def target_appeal_file(*, actor, score: TargetScore, reason: str, on: date | None = None) -> TargetAppeal:
    """The community's secretary appeals one score, with a reason, while the window is open."""
    ensure_can_appeal_target(actor, score)
    sheet = _locked_sheet(score.item.sheet_id)
    on = on or timezone.localdate()
    if not sheet.is_published:
        raise ValidationError(_("Only the scores of a published sheet can be appealed."))
    if on > sheet.appeal_until:
        raise ValidationError(
            _("The appeal window closed on %(day)s.") % {"day": f"{sheet.appeal_until:%Y年%-m月%-d日}"}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the appeal.")})
    if TargetAppeal.objects.filter(score=score, status=AppealStatus.PENDING).exists():
        raise ValidationError(_("An appeal against this score is already awaiting a decision."))
    appeal = TargetAppeal(score=score, filed_by=actor, reason=reason.strip(), points_before=score.points)
    appeal.full_clean()
    appeal.save()
    return appeal


@transaction.atomic
def target_appeal_decide(
    *, actor, appeal: TargetAppeal, adjust: bool, reason: str, points: Decimal | None = None
) -> TargetAppeal:
    """Staff uphold the score or adjust it to `points`; the decision and its reason are kept, and
    the score changes only here."""
    ensure_role(actor, Role.STAFF)
    appeal = TargetAppeal.objects.select_for_update().select_related("score__item__sheet").get(pk=appeal.pk)
    sheet = _locked_sheet(appeal.score.item.sheet_id)
    if not appeal.is_pending:
        raise ValidationError(_("This appeal has already been decided."))
    if not sheet.is_published:
        raise ValidationError(_("Appeals are decided while the sheet is published."))
    if not (reason or "").strip():
        raise ValidationError({"decision_reason": _("Give the reason for the decision.")})
    score = TargetScore.objects.select_for_update().get(pk=appeal.score_id)
    if adjust:
        if points is None or points < 0 or points > appeal.score.item.max_points:
            raise ValidationError(
                {"points": _("Points must be between 0 and %(max)s.") % {"max": appeal.score.item.max_points}}
            )
        score.points = Decimal(points).quantize(Decimal("0.01"))
        score.full_clean()
        score.save()
    appeal.status = AppealStatus.ADJUSTED if adjust else AppealStatus.UPHELD
    appeal.points_after = score.points
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.decision_reason = reason.strip()
    appeal.full_clean()
    appeal.save()
    return appeal


# -- the result --------------------------------------------------------------------------------


@transaction.atomic
def target_sheet_finalise(*, actor, sheet: TargetSheet, on: date | None = None) -> int:
    """Published → final, once the appeal window has closed and every appeal is decided: each
    community's total (capped at 100) becomes the target score of its cadres' appraisals in the
    year's cycle, which is then recalculated. Returns the appraisals written."""
    ensure_role(actor, Role.STAFF)
    sheet = _locked_sheet(sheet.pk)
    on = on or timezone.localdate()
    if not sheet.is_published:
        raise ValidationError(_("Only a published sheet can be finalised."))
    if on <= sheet.appeal_until:
        raise ValidationError(
            _("Appeals are accepted until %(day)s: finalise after that.")
            % {"day": f"{sheet.appeal_until:%Y年%-m月%-d日}"}
        )
    if TargetAppeal.objects.filter(score__item__sheet=sheet, status=AppealStatus.PENDING).exists():
        raise ValidationError(_("Decide every appeal before finalising."))
    cycle = AppraisalCycle.objects.filter(year=sheet.year).first()
    if cycle is None or not cycle.is_open:
        raise ValidationError(
            _("The %(year)s appraisal must exist and be open to receive the target scores.") % {"year": sheet.year}
        )
    cycle = _locked_cycle(cycle.pk)
    totals = {row.community.pk: row.target_score for row in sheet_results(sheet)}
    appraisals = list(Appraisal.objects.filter(cycle=cycle).select_related("cadre"))
    before = [copy.copy(a) for a in appraisals]
    for appraisal in appraisals:
        appraisal.target_score = totals.get(appraisal.cadre.community_id)
    Appraisal.objects.bulk_update(appraisals, ["target_score"], batch_size=500)
    log_bulk(actor=actor, updated=zip(before, appraisals, strict=True))  # bulk_update sends no signal
    if cycle.is_open:
        _recalculate(cycle, actor=actor)
    sheet.status = SheetStatus.FINAL
    sheet.finalised_on = on
    sheet.full_clean()
    sheet.save()
    return len(appraisals)
