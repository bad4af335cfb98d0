"""The demonstration-site programme (党建示范点创建): programmes and their standards, the pilot
sites, their per-standard checks, funding, inspections and rectification items."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet

from .choices import (
    EconomicTier,
    FundingSource,
    InspectionKind,
    PhotoKind,
    RectificationStatus,
    SiteStatus,
    StandardCategory,
)

POSITIVE_WAN = [MinValueValidator(Decimal("0.01"))]


def progress_of(points_met, points_total) -> Decimal | None:
    """The weighted share of standards met (weights = points), 0..1 to four places. Pure
    arithmetic, so the model and the selectors share it without importing each other."""
    if not points_total:
        return None
    return (Decimal(points_met or 0) / Decimal(points_total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class Programme(TimeStamped):
    """One year's programme: its standards checklist and the bonus points it adds to the year's
    assessment (年底以加分形式计入三个文明建设考核总分)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    bonus_points = models.DecimalField(
        _("bonus points in the year's assessment"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1949), name="programme_year_sane"),
            models.CheckConstraint(condition=Q(bonus_points__gte=0), name="programme_bonus_gte_0"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def get_absolute_url(self):
        return reverse("showcase:programme_detail", args=[self.pk])


class Standard(TimeStamped):
    """One item of the programme's checklist; its points weigh it in a site's progress."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="standards", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=10)
    category = models.CharField(_("category"), max_length=10, choices=StandardCategory.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="standard_code_once_per_programme"),
            models.CheckConstraint(condition=Q(points__gte=1), name="standard_points_gte_1"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Site(TimeStamped):
    """A pilot community branch in a programme, with its theme (示范方向)."""

    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sites", verbose_name=_("programme")
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="showcase_sites", verbose_name=_("community")
    )
    theme = models.CharField(_("theme"), max_length=100)
    goal = models.TextField(_("goal"), blank=True)
    economic_tier = models.CharField(_("economic tier"), max_length=10, choices=EconomicTier.choices)
    status = models.CharField(_("status"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.APPLIED)
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_score = models.DecimalField(
        _("acceptance score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    acceptance_note = models.TextField(_("acceptance note"), blank=True)

    class Meta:
        ordering = ["programme", "community__code"]
        verbose_name = _("demonstration site")
        verbose_name_plural = _("demonstration sites")
        constraints = [
            models.UniqueConstraint(fields=["programme", "community"], name="site_once_per_programme"),
            models.CheckConstraint(
                condition=Q(status__in=[SiteStatus.APPLIED, SiteStatus.BUILDING])
                | (Q(accepted_on__isnull=False) & Q(acceptance_score__isnull=False)),
                name="site_acceptance_recorded",
            ),
            models.CheckConstraint(
                condition=Q(acceptance_score__isnull=True)
                | (Q(acceptance_score__gte=0) & Q(acceptance_score__lte=100)),
                name="site_score_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.community}（{self.theme}）"

    def get_absolute_url(self):
        return reverse("showcase:site_detail", args=[self.pk])

    @property
    def is_applied(self) -> bool:
        """Applied for, not yet approved: staff may start construction."""
        return self.status == SiteStatus.APPLIED

    @property
    def awaits_acceptance(self) -> bool:
        """Under construction, or failed and trying again: staff may record acceptance."""
        return self.status in (SiteStatus.BUILDING, SiteStatus.FAILED)

    @property
    def progress(self):
        """The weighted share of standards met, when the queryset was annotated by
        showcase.selectors.with_figures (every page's queryset is)."""
        if not hasattr(self, "points_total"):
            return None
        return progress_of(self.points_met, self.points_total)


class StandardCheck(TimeStamped):
    """Whether a site meets one standard, as an inspector last found it."""

    community_lookup = "site__community"
    objects = ScopedQuerySet.as_manager()

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="checks", verbose_name=_("site"))
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="checks", verbose_name=_("standard"))
    met = models.BooleanField(_("met"), default=False)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["site", "standard__code"]
        verbose_name = _("standard check")
        verbose_name_plural = _("standard checks")
        constraints = [models.UniqueConstraint(fields=["site", "standard"], name="check_once_per_site_standard")]

    def __str__(self):
        return f"{self.site} · {self.standard}"

    def get_absolute_url(self):
        return reverse("showcase:check_update", args=[self.pk])


class Funding(TimeStamped):
    """One line of the funding ledger, in 万元."""

    community_lookup = "site__community"
    objects = ScopedQuerySet.as_manager()

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="funding", verbose_name=_("site"))
    source = models.CharField(_("source"), max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (10k yuan)"), max_digits=10, decimal_places=2, validators=POSITIVE_WAN)
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200)

    class Meta:
        ordering = ["site", "date", "id"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_gt_0")]

    def __str__(self):
        return f"{self.site.community} {self.get_source_display()} {self.amount}"


class Inspection(TimeStamped):
    """A supervision event: the weekly meeting of the 督查指导组, a visit, a 现场会 or a study visit."""

    community_lookup = "sites__community"
    objects = ScopedQuerySet.as_manager()

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    date = models.DateField(_("date"))
    participants = models.CharField(pgettext_lazy("people", "participants"), max_length=300)
    sites = models.ManyToManyField(Site, related_name="inspections", blank=True, verbose_name=_("sites"))
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("showcase:inspection_detail", args=[self.pk])


class Rectification(TimeStamped):
    """An item to put right (整改事项): the inspector opens it, the community secretary reports the
    fix, the inspector verifies and closes it (or sends it back)."""

    community_lookup = "site__community"
    objects = ScopedQuerySet.as_manager()

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("site"))
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("inspection"),
    )
    standard = models.ForeignKey(
        Standard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("standard"),
    )
    description = models.TextField(_("what must be put right"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    report_note = models.TextField(_("report of the fix"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.CLOSED) | Q(closed_at__isnull=False),
                name="rectification_closed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.site.community}：{self.description[:30]}"

    def get_absolute_url(self):
        return reverse("showcase:rectification_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RectificationStatus.OPEN

    @property
    def is_reported(self) -> bool:
        return self.status == RectificationStatus.REPORTED

    def is_overdue(self, today) -> bool:
        return self.status != RectificationStatus.CLOSED and self.deadline < today


def photo_path(instance, filename):
    return f"showcase/{instance.site_id}/{filename}"


class Photo(TimeStamped):
    """An uploaded photo: evidence for a standard check, or a rectification's before/after view.
    Served only through permission-checked views; evidence photos also on the public page."""

    community_lookup = "site__community"
    objects = ScopedQuerySet.as_manager()

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="photos", verbose_name=_("site"))
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)
    check_item = models.ForeignKey(
        StandardCheck,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("standard check"),
    )
    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("rectification item"),
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PhotoKind.EVIDENCE) & Q(check_item__isnull=False) & Q(rectification__isnull=True))
                | (
                    Q(kind__in=[PhotoKind.BEFORE, PhotoKind.AFTER])
                    & Q(rectification__isnull=False)
                    & Q(check_item__isnull=True)
                ),
                name="photo_belongs_to_check_or_rectification",
            ),
        ]

    def __str__(self):
        return self.caption or self.file.name

    def get_absolute_url(self):
        return reverse("showcase:photo_download", args=[self.pk])
