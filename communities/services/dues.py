"""Every write to the 党费 ledger: the rate table (staff), members' bases and payments (staff or
the community's secretary), the arrears scan (a daily job) and the secretary's 自行脱党 review,
and the half-yearly 党费收缴使用情况 drafted as a party-internal notice."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.models import Community, DuesBase, DuesLapseReview, DuesPayment, DuesRateBand, PartyMember
from communities.models.dues import RATES_2008, DuesReviewStatus
from communities.periods import local_today, month_start
from communities.selectors.dues import (
    LAPSE_MONTHS,
    WARN_MONTHS,
    dues_half_year_figures,
    dues_standings,
    half_year_bounds,
    monthly_dues,
    rate_bands,
)
from disclosure.choices import Audience
from disclosure.models import CatalogItem, Notice
from disclosure.services import board_for_community, notice_save
from jiedao.permissions import Role, ensure_can_manage, ensure_role, users_with_role
from jiedao.services import notify

DUES_ITEM_NAME = "党费收缴、使用和管理情况"


@transaction.atomic
def dues_rate_table_ensure() -> int:
    """An empty rate table gets the 2008 rules (a database emptied and loaded again, e.g. by the
    demo after a wipe); a table staff have kept is left alone. Returns the bands created."""
    if DuesRateBand.objects.exists():
        return 0
    DuesRateBand.objects.bulk_create(
        DuesRateBand(
            category=category,
            income_above=Decimal(above),
            income_up_to=Decimal(up_to) if up_to else None,
            rate_percent=Decimal(rate) if rate else None,
            fixed_amount=Decimal(fixed) if fixed else None,
        )
        for category, above, up_to, rate, fixed in RATES_2008
    )
    return len(RATES_2008)


def dues_rate_band_save(*, actor, band: DuesRateBand) -> DuesRateBand:
    """Staff keep the rate table. A change applies to bases recorded (or re-assessed) after it."""
    ensure_role(actor, Role.STAFF)
    band.full_clean()
    band.save()
    return band


def _assess(base: DuesBase) -> None:
    amount = monthly_dues(rate_bands(), base.category, base.monthly_base)
    if amount is None:
        raise ValidationError(
            {"monthly_base": _("No row of the dues rate table covers this base; ask the sub-district to complete it.")}
        )
    base.monthly_amount = amount


@transaction.atomic
def dues_base_save(*, actor, base: DuesBase) -> DuesBase:
    """A member's category and monthly base from a month on; the monthly dues are assessed from
    the rate table now."""
    ensure_can_manage(actor, base.member.community_id)
    if base.effective_from:
        base.effective_from = month_start(base.effective_from)
    _assess(base)
    base.full_clean()
    base.save()
    return base


@transaction.atomic
def dues_payment_record(*, actor, payment: DuesPayment, today: date | None = None) -> DuesPayment:
    """Record money handed in and the month it pays up to (交至年月, never backwards)."""
    member = PartyMember.objects.select_for_update().get(pk=payment.member_id)
    ensure_can_manage(actor, member.community_id)
    today = today or local_today()
    errors = {}
    if payment.paid_through:
        payment.paid_through = month_start(payment.paid_through)
        stored = DuesPayment.objects.filter(pk=payment.pk).values_list("paid_through", flat=True).first()
        previous = member.dues_payments.exclude(pk=payment.pk).aggregate(last=Max("paid_through"))["last"]
        if stored != payment.paid_through and previous and payment.paid_through <= previous:
            errors["paid_through"] = _("Dues are already paid through %(month)s; give a later month.") % {
                "month": date_format(previous, "YEAR_MONTH_FORMAT")
            }
    if payment.paid_on and payment.paid_on > today:
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    payment.recorded_by = actor if getattr(actor, "pk", None) else None
    payment.full_clean()
    payment.save()
    # Paid up again: an open lapse review is settled by the payment (the secretary sees why).
    if months_now_unpaid(member, today) < LAPSE_MONTHS:
        DuesLapseReview.objects.filter(member=member, status=DuesReviewStatus.OPEN).update(
            status=DuesReviewStatus.SETTLED, decided_at=timezone.now(), decision_note=_("Dues paid up.")
        )
    return payment


def months_now_unpaid(member: PartyMember, today: date) -> int:
    return dues_standings([member], today=today)[0].months_unpaid


def dues_arrears_scan(*, today: date | None = None, community_ids=None) -> dict[str, int]:
    """The daily job: three months unpaid → the secretary is told once per arrear; six months →
    a 自行脱党 review for the secretary (one open at a time) and a notice. Nothing about the
    member changes: the branch decides."""
    today = today or local_today()
    # members on the roll today: one who transferred out owes nothing here any more
    members = (
        PartyMember.objects.active_on(today)
        .select_related("community")
        .only("id", "name", "community_id", "community__name")
    )
    if community_ids is not None:
        members = members.filter(community_id__in=list(community_ids))
    warned = reviews = 0
    for standing in dues_standings(members, today=today):
        if not standing.warned:
            continue
        member = standing.member
        secretaries = list(users_with_role(Role.SECRETARY, member.community_id))
        since = standing.paid_through.isoformat() if standing.paid_through else "start"
        level = LAPSE_MONTHS if standing.lapsing else WARN_MONTHS
        with transaction.atomic():
            if standing.lapsing:
                review, created = _open_review(member, standing, today)
                reviews += created
            for user in secretaries:
                warned += notify(
                    recipient=user,
                    key=f"dues:{member.pk}:{since}:{level}",
                    title=_arrears_title(member, standing.months_unpaid, level),
                    body=_("Paid through: %(month)s.")
                    % {
                        "month": date_format(standing.paid_through, "YEAR_MONTH_FORMAT")
                        if standing.paid_through
                        else _("nothing paid yet")
                    },
                    url=reverse("partylife:dues_ledger", args=[member.community_id]),
                )
    return {"notified": warned, "reviews": reviews}


def _arrears_title(member, months: int, level: int) -> str:
    if level == LAPSE_MONTHS:
        return _("%(name)s has not paid party dues for %(months)s months: review whether they have lapsed") % {
            "name": member.name,
            "months": months,
        }
    return _("%(name)s has not paid party dues for %(months)s months") % {"name": member.name, "months": months}


def _open_review(member, standing, today) -> tuple[DuesLapseReview, bool]:
    existing = DuesLapseReview.objects.filter(member=member, status=DuesReviewStatus.OPEN).first()
    if existing:
        return existing, False
    review = DuesLapseReview(
        member=member, flagged_on=today, paid_through=standing.paid_through, months_unpaid=standing.months_unpaid
    )
    review.full_clean()
    review.save()
    return review, True


DECISIONS = (DuesReviewStatus.SETTLED, DuesReviewStatus.EDUCATED, DuesReviewStatus.REFERRED)


@transaction.atomic
def dues_review_decide(*, actor, review: DuesLapseReview, status: str, note: str) -> DuesLapseReview:
    """The secretary (or staff) records what the branch decided. Referral to the branch meeting is
    a record, not a removal: the roster is changed only by the branch's own decision."""
    review = DuesLapseReview.objects.select_for_update().select_related("member").get(pk=review.pk)
    ensure_can_manage(actor, review.member.community_id)
    if not review.is_open:
        raise ValidationError(_("This review has already been decided."))
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose a decision.")})
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("Write down what was decided and why.")})
    review.status = status
    review.decision_note = note.strip()
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.full_clean()
    review.save()
    return review


def dues_catalog_item() -> CatalogItem:
    return CatalogItem.objects.get(level="community", name=DUES_ITEM_NAME)


@transaction.atomic
def dues_half_year_draft(*, actor, community: Community, year: int, half: int) -> Notice:
    """The half-yearly 党费收缴使用情况 as a DRAFT notice on the community's board, for party
    members only (the catalogue item's audience is a specific group). The secretary completes the
    use of the money and sends it through the usual review."""
    ensure_can_manage(actor, community.pk)
    if half not in (1, 2):
        raise ValidationError({"half": _("Choose the first or the second half of the year.")})
    item = dues_catalog_item()
    if item.audience != Audience.GROUP:
        raise ValidationError(_("The dues catalogue item must be for party members only."))
    figures = dues_half_year_figures(community=community, year=year, half=half)
    start, end = half_year_bounds(year, half)
    half_name = _("first half") if half == 1 else _("second half")
    body = _(
        "<p>In the %(half)s of %(year)s, %(members)s members owed party dues; %(payers)s of them paid "
        "%(payments)s times, %(collected)s yuan in all.</p>"
        "<p>On %(end)s, %(arrears)s members had not paid for three months or more, %(lapsing)s of them "
        "for six months or more.</p>"
        "<p>Use of the dues: (for the secretary to complete)</p>"
    ) % {
        "year": year,
        "half": half_name,
        "members": figures.members,
        "payers": figures.payers,
        "payments": figures.payments,
        "collected": figures.collected,
        "end": date_format(end, "DATE_FORMAT"),
        "arrears": figures.in_arrears,
        "lapsing": figures.lapsing,
    }
    notice = Notice(
        board=board_for_community(community=community),
        catalog_item=item,
        title=_("%(year)s %(half)s: party dues collected and used") % {"year": year, "half": half_name},
        body=body,
        period_start=start,
    )
    return notice_save(actor=actor, notice=notice)
