"""Communities and the people and figures that belong to them."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.choices import (
    Committee,
    CommunityKind,
    Education,
    Gender,
    MemberStatus,
    MonthlyAction,
    MonthlyStatus,
    OrgKind,
    PartyOrgKind,
)
from communities.models.membership import PartyMemberQuerySet
from communities.validators import PHOTO_TYPES, validate_photo
from jiedao.identity import age_on, mask_id_number, mask_mobile, validate_id_number, validate_mobile
from jiedao.models import MONEY, TimeStamped
from jiedao.permissions import ScopedQuerySet


class Community(TimeStamped):
    community_lookup = "pk"
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=CommunityKind.choices, default=CommunityKind.VILLAGE)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    households = models.PositiveIntegerField(_("households"))
    population = models.PositiveIntegerField(_("population"))
    party_org_name = models.CharField(_("party organisation"), max_length=100)
    party_org_kind = models.CharField(
        _("party organisation kind"), max_length=20, choices=PartyOrgKind.choices, default=PartyOrgKind.BRANCH
    )
    formerly_poor = models.BooleanField(_("formerly a poor village"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.CheckConstraint(condition=models.Q(area_km2__gte=0), name="community_area_gte_0"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:community_detail", args=[self.pk])


class Cadre(TimeStamped):
    """A member of the community's two committees (社区两委班子成员)."""

    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("community")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    post = models.CharField(_("post"), max_length=50)
    committee = models.CharField(_("committee"), max_length=10, choices=Committee.choices, default=Committee.PARTY)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    directly_elected = models.BooleanField(_("elected by open recommendation and direct election"), default=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    # The human holding the post: one Person for all their posts (issue 14 item 2).
    person = models.ForeignKey(
        "communities.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre_posts",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["community__code", "term_start", "name"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        constraints = [
            models.UniqueConstraint(fields=["community", "name", "post", "term_start"], name="cadre_unique_term"),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="cadre_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.post}）"

    def clean(self):
        super().clean()
        # 公推直选 is how party posts are filled; 居委会主任 and members are elected by the residents.
        if self.directly_elected and self.committee == Committee.RESIDENTS:
            raise ValidationError(
                {"directly_elected": _("Open recommendation and direct election applies to party posts only.")}
            )

    def get_absolute_url(self):
        return reverse("communities:community_detail", args=[self.community_id])


class PartyMember(TimeStamped):
    """A party member on the community roster. ID and mobile numbers are shown masked."""

    community_lookup = "community"
    objects = PartyMemberQuerySet.as_manager()

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="party_members", verbose_name=_("community")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, validators=[validate_id_number])
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[validate_mobile])
    joined_on = models.DateField(_("date joined the party"))
    # -- issue 14: the member's place in the tree, their account and the dates their status follows
    person = models.OneToOneField(
        "communities.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership",
        verbose_name=_("person"),
    )
    branch = models.ForeignKey(
        "communities.PartyOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("party branch"),
    )
    group = models.ForeignKey(
        "communities.PartyOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name=_("party group"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
        verbose_name=_("member account"),
    )
    approved_on = models.DateField(_("approved by the higher organisation"), null=True, blank=True)
    oath_on = models.DateField(_("took the oath"), null=True, blank=True)
    extension_decided_on = models.DateField(_("probation extended on"), null=True, blank=True)
    probation_ends_on = models.DateField(_("probation ends"), null=True, blank=True)
    full_on = models.DateField(_("became a full member"), null=True, blank=True)
    disqualified_on = models.DateField(_("probationary membership cancelled on"), null=True, blank=True)
    arrived_on = models.DateField(_("transferred in on"), null=True, blank=True)
    left_on = models.DateField(_("transferred out on"), null=True, blank=True)
    probation_reminded_on = models.DateField(_("probation reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["community__code", "name", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        permissions = [("reveal_identity", _("Can see full ID and mobile numbers"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(joined_on__gt=models.F("birth_date")), name="partymember_joined_after_birth"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def age(self) -> int | None:
        """Whole years: what a role without the reveal permission sees instead of the birth date."""
        return age_on(self.birth_date)

    # -- derived status (issue 14 item 3): from the dates, never typed --------------------------

    def get_absolute_url(self):
        return reverse("org:member_detail", args=[self.pk])

    def status_on(self, day: date) -> str:
        """The same rule as `PartyMemberQuerySet.with_status`."""
        if self.disqualified_on and self.disqualified_on <= day:
            return MemberStatus.DISQUALIFIED
        if self.full_on and self.full_on <= day:
            return MemberStatus.FULL
        if self.extension_decided_on and self.extension_decided_on <= day:
            return MemberStatus.EXTENDED
        return MemberStatus.PROBATIONARY

    @property
    def status(self) -> str:
        return self.status_on(date.today())

    def get_status_display(self) -> str:
        return MemberStatus(self.status).label

    @property
    def is_full(self) -> bool:
        return self.status == MemberStatus.FULL

    @property
    def is_probationary(self) -> bool:
        return self.status in (MemberStatus.PROBATIONARY, MemberStatus.EXTENDED)

    @property
    def probation_end(self) -> date:
        """The end of the 预备期: one year from admission, or the extended end."""
        return self.probation_ends_on or add_years(self.joined_on, 1)

    def clean(self):
        super().clean()
        errors = {}
        if self.joined_on:
            if self.full_on and self.full_on < add_years(self.joined_on, 1):
                errors["full_on"] = _("Full membership comes at the end of the one-year probation at the earliest.")
            for name in ("approved_on", "oath_on", "disqualified_on", "left_on"):
                value = getattr(self, name)
                if value and value < self.joined_on:
                    errors[name] = _("This date cannot be before the date joined the party.")
        if self.full_on and self.disqualified_on:
            errors["disqualified_on"] = _("A full member's probation cannot be cancelled.")
        if self.group_id and self.branch_id and self.group.parent_id != self.branch_id:
            errors["group"] = _("The party group must be one of the branch's groups.")
        if self.branch_id and self.community_id and self.branch.community_id != self.community_id:
            errors["branch"] = _("The party branch belongs to another community.")
        elif self.branch_id and self.branch.kind != OrgKind.BRANCH:
            errors["branch"] = _("Choose a party branch (党支部).")
        if errors:
            raise ValidationError(errors)

    def belongs_on(self, day: date) -> bool:
        return (
            self.joined_on <= day
            and (self.arrived_on is None or self.arrived_on <= day)
            and (self.left_on is None or self.left_on > day)
            and (self.disqualified_on is None or self.disqualified_on > day)
        )


class CommunityYear(TimeStamped):
    """A community's yearly indicators (DESIGN §8 社区年度指标)."""

    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="years", verbose_name=_("community")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    collective_income = models.DecimalField(_("collective disposable income (10k yuan)"), **MONEY)
    per_capita_income = models.DecimalField(_("farmers' per-capita net income (yuan)"), **MONEY)
    party_member_count = models.PositiveIntegerField(_("party members"))
    is_poor = models.BooleanField(_("poor village this year"), default=False)

    class Meta:
        ordering = ["community__code", "year"]
        verbose_name = _("community year")
        verbose_name_plural = _("community years")
        # the dashboard's income chart: a year's communities with the most income first
        indexes = [models.Index(fields=["year", "-collective_income"], name="communityyear_year_income")]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="communityyear_once_per_year"),
            models.CheckConstraint(condition=models.Q(collective_income__gte=0), name="communityyear_income_gte_0"),
            models.CheckConstraint(condition=models.Q(per_capita_income__gte=0), name="communityyear_per_capita_gte_0"),
        ]

    def __str__(self):
        return f"{self.community} {self.year}"


# -- monthly updates (月度工作报告) -------------------------------------------------------------


def monthly_photo_path(instance, filename: str) -> str:
    """Stored under a random name: the uploader's file name is kept only as text."""
    return f"monthly/{instance.update.period:%Y/%m}/{uuid.uuid4().hex}.{PHOTO_TYPES.get(instance.content_type, 'bin')}"


class MonthlyUpdate(TimeStamped):
    """A community's monthly work report: one per community per month. Writes go through the
    services in communities/services.py, which check the workflow and the `version` lock."""

    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="monthly_updates", verbose_name=_("community")
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    status = models.CharField(
        _("status"), max_length=10, choices=MonthlyStatus.choices, default=MonthlyStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    key_work = models.TextField(_("key work this month"), blank=True)
    member_activities = models.TextField(_("party member activities"), blank=True)
    problems = models.TextField(_("problems and difficulties"), blank=True)
    next_plan = models.TextField(_("plan for next month"), blank=True)

    collective_income = models.DecimalField(_("collective economic income (10k yuan)"), default=0, **MONEY)
    activity_count = models.PositiveIntegerField(_("party member activities held"), default=0)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    new_members = models.PositiveIntegerField(_("new party members"), default=0)
    letters_visits = models.PositiveIntegerField(_("letters and visits received"), default=0)
    volunteer_hours = models.PositiveIntegerField(_("volunteer service (hours)"), default=0)

    branch_committee_meetings = models.PositiveSmallIntegerField(_("branch committee meetings"), default=0)
    general_meetings = models.PositiveSmallIntegerField(_("general party member meetings"), default=0)
    group_meetings = models.PositiveSmallIntegerField(_("party group meetings"), default=0)
    party_lectures = models.PositiveSmallIntegerField(_("party lectures"), default=0)
    theme_days = models.PositiveSmallIntegerField(_("themed party days"), default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("last edited by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        ordering = ["community__code", "period"]
        verbose_name = _("monthly update")
        verbose_name_plural = _("monthly updates")
        # the dashboard and the monthly overview count a year's updates per month and status from the index alone
        indexes = [models.Index(fields=["period", "status", "community"], name="monthlyupdate_period_status")]
        constraints = [
            models.UniqueConstraint(fields=["community", "period"], name="monthlyupdate_once_per_month"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="monthlyupdate_period_first_day"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="monthlyupdate_version_gte_1"),
            models.CheckConstraint(condition=models.Q(collective_income__gte=0), name="monthlyupdate_income_gte_0"),
            models.CheckConstraint(
                condition=models.Q(is_late=False) | models.Q(first_submitted_at__isnull=False),
                name="monthlyupdate_late_only_when_submitted",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(first_submitted_at__isnull=False),
                name="monthlyupdate_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.community} {date_format(self.period, 'YEAR_MONTH_FORMAT')}"

    def get_absolute_url(self):
        return reverse("communities:monthly_update_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (MonthlyStatus.DRAFT, MonthlyStatus.RETURNED)

    @property
    def is_submitted(self) -> bool:
        """Handed in and waiting for the review."""
        return self.status == MonthlyStatus.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == MonthlyStatus.RETURNED

    @property
    def is_accepted(self) -> bool:
        return self.status == MonthlyStatus.ACCEPTED


class MonthlyUpdatePhoto(TimeStamped):
    """A photo attached to a monthly update: JPEG or PNG by content, at most 5 MB."""

    community_lookup = "update__community"
    objects = ScopedQuerySet.as_manager()

    update = models.ForeignKey(
        MonthlyUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("monthly update")
    )
    file = models.FileField(_("file"), upload_to=monthly_photo_path, validators=[validate_photo], max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["update", "created_at", "id"]
        verbose_name = _("monthly update photo")
        verbose_name_plural = _("monthly update photos")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/jpeg", "image/png"]), name="monthlyupdatephoto_jpeg_or_png"
            ),
            models.CheckConstraint(condition=models.Q(size__lte=5 * 1024 * 1024), name="monthlyupdatephoto_max_5mb"),
        ]

    def __str__(self):
        return self.original_name


class MonthlyUpdateEvent(TimeStamped):
    """One step of the workflow: who did what, when, with what comment (the timeline)."""

    community_lookup = "update__community"
    objects = ScopedQuerySet.as_manager()

    update = models.ForeignKey(
        MonthlyUpdate, on_delete=models.CASCADE, related_name="events", verbose_name=_("monthly update")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    action = models.CharField(_("action"), max_length=10, choices=MonthlyAction.choices)
    comment = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["update", "created_at", "id"]
        verbose_name = _("monthly update event")
        verbose_name_plural = _("monthly update events")

    def __str__(self):
        return f"{self.update} {self.get_action_display()}"


from communities.models.dues import DuesBase, DuesLapseReview, DuesPayment, DuesRateBand  # noqa: E402, F401


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Issue 14's records live in modules of their own; imported last so they can name the models above.
from communities.models.lifecycle import Recruit  # noqa: E402, F401
from communities.models.meetings import MeetingAttendance, MeetingPhoto, PartyMeeting  # noqa: E402, F401
from communities.models.organisation import OrgPost, PartyOrganisation, Person  # noqa: E402, F401
from communities.models.tallies import MonthlyTally  # noqa: E402, F401
from communities.models.transfers import FlowRecord, Transfer  # noqa: E402, F401
