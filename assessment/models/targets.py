"""目标管理考核: a yearly target sheet for the communities, scored from the portal's own records.

A `TargetSheet` (one a year) holds `TargetItem`s: a name, the points it is worth, and how it is
scored (`kind`: one of the evidence scorers in `assessment.scorers`, or MANUAL) with the rule's
parameters as data. Each item has one `TargetScore` per community: the measured value, the points,
and the records behind them (`evidence`, a snapshot taken when it was scored, so the drill-down
always shows what the number was computed from). Once the sheet is published a score changes only
by a staff decision on a secretary's `TargetAppeal`.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.choices import AppealStatus, SheetStatus, TargetKind
from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet, target_scores_visible_to

POINTS = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class TargetSheet(TimeStamped):
    """One year's 目标管理考核 of the communities (三个文明建设考核)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    appeal_workdays = models.PositiveSmallIntegerField(
        _("appeal window (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Secretaries may appeal a score within this many working days after publication."),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    appeal_until = models.DateField(_("appeals accepted until"), null=True, blank=True)
    finalised_on = models.DateField(_("finalised on"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("target sheet")
        verbose_name_plural = _("target sheets")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1949), name="targetsheet_year_sane"),
            models.CheckConstraint(
                condition=Q(status=SheetStatus.DRAFT) | Q(published_on__isnull=False, appeal_until__isnull=False),
                name="targetsheet_published_dated",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("assessment:target_sheet_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == SheetStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == SheetStatus.PUBLISHED

    @property
    def is_final(self) -> bool:
        return self.status == SheetStatus.FINAL

    def appeal_open_on(self, day) -> bool:
        return self.is_published and self.appeal_until is not None and day <= self.appeal_until


class TargetItem(TimeStamped):
    """One line of the sheet. `params` holds the scoring rule as data: for the rate scorers
    `zero_at` and `full_at` (the rate that earns nothing and the rate that earns every point, linear
    between); for the showcase bonus `progress_share` (the share of the bonus a site still under
    construction earns at 100 % progress)."""

    sheet = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="items", verbose_name=_("sheet"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("scored by"), max_length=20, choices=TargetKind.choices)
    max_points = models.DecimalField(_("points"), **POINTS)
    params = models.JSONField(_("scoring rule"), default=dict, blank=True)
    description = models.TextField(_("how it is scored"), blank=True)

    class Meta:
        ordering = ["sheet", "order", "id"]
        verbose_name = _("target item")
        verbose_name_plural = _("target items")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "name"], name="targetitem_name_once_per_sheet"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="targetitem_points_gt_0"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.kind == TargetKind.MANUAL

    @property
    def is_bonus(self) -> bool:
        """Bonus points (the demonstration site) come on top of the 100 the other items share."""
        return self.kind == TargetKind.SHOWCASE


def evidence_upload_to(instance, filename):
    return f"assessment/targets/{instance.item_id}/{uuid.uuid4().hex}"


class TargetScoreQuerySet(ScopedQuerySet):
    def exclude_drafts(self):
        return self.exclude(item__sheet__status=SheetStatus.DRAFT)

    def restrict(self, user):
        """A secretary reads their own community's scores once the sheet is published."""
        return target_scores_visible_to(user, self)


class TargetScore(TimeStamped):
    """An item's score for one community, with the records behind it."""

    community_lookup = "community"

    item = models.ForeignKey(TargetItem, on_delete=models.CASCADE, related_name="scores", verbose_name=_("item"))
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="target_scores", verbose_name=_("community")
    )
    numerator = models.DecimalField(_("counted"), max_digits=10, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("expected"), max_digits=10, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("measured rate"), max_digits=6, decimal_places=4, null=True, blank=True)
    computed_points = models.DecimalField(_("points as scored"), null=True, blank=True, **POINTS)
    points = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    evidence = models.JSONField(_("records behind the score"), default=list, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_upload_to, max_length=200, blank=True)
    evidence_file_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_file_type = models.CharField(_("evidence file type"), max_length=100, blank=True)
    evidence_link = models.CharField(_("link to a record in the portal"), max_length=300, blank=True)

    objects = TargetScoreQuerySet.as_manager()

    class Meta:
        ordering = ["item", "community__code"]
        verbose_name = _("target score")
        verbose_name_plural = _("target scores")
        constraints = [
            models.UniqueConstraint(fields=["item", "community"], name="targetscore_once_per_community"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="targetscore_points_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.item} · {self.community}"

    def get_absolute_url(self):
        return reverse("assessment:target_score_detail", args=[self.pk])

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_file) or bool(self.evidence_link)


class TargetAppeal(TimeStamped):
    """A secretary's appeal against one score, and the staff decision on it (kept for good)."""

    community_lookup = "score__community"

    score = models.ForeignKey(TargetScore, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("score"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    points_before = models.DecimalField(_("points before"), null=True, blank=True, **POINTS)
    points_after = models.DecimalField(_("points after"), null=True, blank=True, **POINTS)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("target appeal")
        verbose_name_plural = _("target appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["score"], condition=Q(status="pending"), name="targetappeal_one_pending_per_score"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="targetappeal_decision_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.score} · {self.get_status_display()}"

    def get_absolute_url(self):
        return self.score.get_absolute_url()

    @property
    def is_pending(self) -> bool:
        return self.status == AppealStatus.PENDING
