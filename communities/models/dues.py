"""党费: the rate table (data, editable by staff), each member's monthly base, payments and the
自行脱党 review a long arrear raises for the secretary (never an automatic removal)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import PartyMember
from jiedao.models import MONEY, TimeStamped
from jiedao.permissions import ScopedQuerySet

CENT = Decimal("0.01")


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("Employed (after-tax monthly pay)")
    RETIRED = "retired", _("Retired (monthly pension)")
    REDUCED = "reduced", _("Student, laid-off or on minimum living allowance")


class DuesReviewStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the secretary")
    SETTLED = "settled", _("Dues paid up, closed")
    EDUCATED = "educated", _("Talked with, kept on the roll")
    REFERRED = "referred", _("Referred to the branch meeting as lapsed (自行脱党)")


# The 2008 rules (中组部《关于中国共产党党费收缴、使用和管理的规定》) as the portal first holds them: category,
# monthly base above, up to (inclusive, None for no limit), rate %, fixed yuan a month. Migration 0004
# keeps its own frozen copy; staff edit the table afterwards.
RATES_2008 = [
    ("employed", "0", "3000", "0.5", None),
    ("employed", "3000", "5000", "1.0", None),
    ("employed", "5000", "10000", "1.5", None),
    ("employed", "10000", None, "2.0", None),
    ("retired", "0", "5000", "0.5", None),
    ("retired", "5000", None, "1.0", None),
    ("reduced", "0", None, None, "0.20"),
]


class DuesRateBand(TimeStamped):
    """One row of the 2008 rate table: a base in (income_above, income_up_to] pays `rate_percent`
    of it a month, or the fixed amount. Kept as data so a new rule is a new row, not a release."""

    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    income_above = models.DecimalField(_("monthly base above (yuan)"), default=0, **MONEY)
    income_up_to = models.DecimalField(
        _("monthly base up to (yuan)"),
        null=True,
        blank=True,
        help_text=_("Inclusive; empty for no upper limit."),
        **MONEY,
    )
    rate_percent = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fixed_amount = models.DecimalField(_("fixed amount a month (yuan)"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["category", "income_above"]
        verbose_name = _("dues rate band")
        verbose_name_plural = _("dues rate bands")
        constraints = [
            models.UniqueConstraint(fields=["category", "income_above"], name="duesrateband_unique_start"),
            models.CheckConstraint(
                condition=models.Q(rate_percent__isnull=True, fixed_amount__isnull=False)
                | models.Q(rate_percent__isnull=False, fixed_amount__isnull=True),
                name="duesrateband_rate_or_fixed",
            ),
            models.CheckConstraint(
                condition=models.Q(income_up_to__isnull=True) | models.Q(income_up_to__gt=models.F("income_above")),
                name="duesrateband_upper_above_lower",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.income_above}–{self.income_up_to or '∞'}"

    def covers(self, base: Decimal) -> bool:
        """Whether a base falls in (income_above, income_up_to]; the first band also takes 0."""
        above = base > self.income_above or self.income_above == 0
        return above and (self.income_up_to is None or base <= self.income_up_to)

    def monthly_amount(self, base: Decimal) -> Decimal:
        if self.fixed_amount is not None:
            return self.fixed_amount
        return (Decimal(base) * self.rate_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


class DuesBase(TimeStamped):
    """A member's dues category and monthly base (税后工资 / 退休费) from a month on."""

    community_lookup = "member__community"
    objects = ScopedQuerySet.as_manager()

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="dues_bases", verbose_name=_("party member")
    )
    effective_from = models.DateField(_("effective from (month)"))
    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    monthly_base = models.DecimalField(_("monthly base (yuan)"), default=0, **MONEY)
    monthly_amount = models.DecimalField(_("monthly dues (yuan)"), editable=False, default=0, **MONEY)

    class Meta:
        ordering = ["member", "-effective_from"]
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_from"], name="duesbase_once_per_month"),
            models.CheckConstraint(condition=models.Q(effective_from__day=1), name="duesbase_effective_first_of_month"),
        ]

    def __str__(self):
        return f"{self.member} {self.effective_from:%Y-%m} {self.monthly_amount}"


class DuesPayment(TimeStamped):
    """Money a member handed in, and the month it pays up to (交至年月)."""

    community_lookup = "member__community"
    objects = ScopedQuerySet.as_manager()

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="dues_payments", verbose_name=_("party member")
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    paid_through = models.DateField(_("paid through (month)"))
    note = models.CharField(_("remarks"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["member", "-paid_through", "-paid_on"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(paid_through__day=1), name="duespayment_through_first_of_month"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="duespayment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.member} {self.amount} → {self.paid_through:%Y-%m}"


class DuesLapseReview(TimeStamped):
    """Six months unpaid: a review for the branch secretary whether the member has lapsed (自行
    脱党). The portal never removes anyone; the secretary records what the branch decided."""

    community_lookup = "member__community"
    objects = ScopedQuerySet.as_manager()

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="dues_reviews", verbose_name=_("party member")
    )
    flagged_on = models.DateField(_("flagged on"))
    paid_through = models.DateField(_("paid through (month)"), null=True, blank=True)
    months_unpaid = models.PositiveSmallIntegerField(_("months unpaid"))
    status = models.CharField(
        _("status"), max_length=20, choices=DuesReviewStatus.choices, default=DuesReviewStatus.OPEN
    )
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-flagged_on", "id"]
        verbose_name = _("lapse review (six months of unpaid dues)")
        verbose_name_plural = _("lapse reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status="open"), name="dueslapsereview_one_open_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.member} ({self.months_unpaid})"

    @property
    def is_open(self) -> bool:
        return self.status == DuesReviewStatus.OPEN
