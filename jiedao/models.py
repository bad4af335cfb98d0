"""Sub-district-wide data: the user profile, the sub-district's yearly indicators,
in-portal notifications and the working-day calendar overrides."""

from functools import cache

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


@cache
def choice_labels(field) -> dict:
    """value → label (lazy, so translated when shown) of a model field with choices."""
    return dict(field.flatchoices)


class TimeStamped(models.Model):
    """Every model's base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """get_<field>_display() from a table built once per field. Django rebuilds and hashes the
        whole choice list on every call, translating each label: 30 rows of a list with two
        such columns cost about 2 ms."""
        value = getattr(self, field.attname)
        try:
            label = choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class Profile(TimeStamped):
    """Ties a portal user to their community (secretaries) and holds what auth.User lacks."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class SubDistrictYear(TimeStamped):
    """The sub-district's own yearly indicators (DESIGN §8 街道年度指标)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    fiscal_revenue = models.DecimalField(_("fiscal revenue (10k yuan)"), **MONEY)
    letters_visits = models.PositiveIntegerField(_("letters and visits"))
    collective_petitions = models.PositiveIntegerField(_("collective petitions"), default=0)
    per_capita_income = models.DecimalField(_("farmers' per-capita net income (yuan)"), **MONEY)

    class Meta:
        ordering = ["year"]
        verbose_name = _("sub-district year")
        verbose_name_plural = _("sub-district years")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=1949), name="subdistrictyear_year_sane"),
            models.CheckConstraint(condition=models.Q(fiscal_revenue__gte=0), name="subdistrictyear_revenue_gte_0"),
            models.CheckConstraint(condition=models.Q(per_capita_income__gte=0), name="subdistrictyear_income_gte_0"),
        ]

    def __str__(self):
        return str(self.year)


class Notification(TimeStamped):
    """A message in a user's in-portal inbox. `key` makes every notice idempotent: the same
    reminder for the same object is stored (and mailed) once, however often a job runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        # the menu's unread count on every signed-in page: a user's unread rows only, not years of read ones
        indexes = [models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notification_open", args=[self.pk])


class WorkdayOverride(TimeStamped):
    """A staff-kept correction to the holiday calendar: a day off, or a 调休 working day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class BackgroundJob(TimeStamped):
    """A file built by a Celery task and polled by a progress page (the annual report, ballot slips):
    its status, progress 0-100, who asked and why it failed. At most one build of the same thing is
    queued or running at a time; each concrete model states that as a partial unique index."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


class AnnualReport(BackgroundJob):
    """One build of the annual report PDF (DESIGN §6). A rebuild of a year is a new version;
    older versions keep their files. At most one build per year is queued or running at a time,
    enforced by a partial unique index."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"), default=1)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to="reports/annual/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="annualreport_unique_version"),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(status__in=["queued", "running"]),
                name="annualreport_one_build_per_year",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="annualreport_progress_lte_100"),
            models.CheckConstraint(condition=models.Q(year__gte=1949), name="annualreport_year_sane"),
        ]

    def __str__(self):
        return f"{self.year} v{self.version}"

    def get_absolute_url(self):
        return reverse("jiedao:annual_report_detail", args=[self.pk])


class AnnualReportText(TimeStamped):
    """The annual report's words that figures cannot give: 存在问题和下步打算, drafted from the
    year's monthly updates and edited by staff before the build, and the report's 落款."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    problems = models.TextField(_("problems"), blank=True)
    plans = models.TextField(_("plans for next year"), blank=True)
    signatory = models.CharField(_("issued by"), max_length=100)
    signed_on = models.DateField(_("date of issue"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=1949), name="annualreporttext_year_sane")]

    def __str__(self):
        return str(self.year)


class BackupRun(TimeStamped):
    """The outcome of one backup (`manage.py backup` or the nightly job), shown to staff. Kept in the
    database rather than beside the archives so that every web node reads the same status."""

    class Status(models.TextChoices):
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    archive = models.CharField(_("archive"), max_length=255, blank=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    files = models.PositiveIntegerField(_("files"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def succeeded(self) -> bool:
        return self.status == self.Status.OK
