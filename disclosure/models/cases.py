"""Residents' requests and complaints (诉求/信访): the case ledger, its events and the yearly
number counter. A case is filed by a resident on the public site or recorded by staff from a
letter, a visit or a call; the resident follows it with a query code of which only a hash is kept."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet

__all__ = [
    "CATEGORY_WORKDAYS",
    "SATISFIED",
    "Case",
    "CaseCategory",
    "CaseChannel",
    "CaseCounter",
    "CaseEvent",
    "CaseEventKind",
    "CaseQuerySet",
    "CaseStatus",
    "Satisfaction",
]


class CaseCategory(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment and sanitation")
    SAFETY = "safety", _("Public order and safety")
    HOUSING = "housing", _("Housing and property management")
    LAND = "land", _("Land requisition and relocation")
    WELFARE = "welfare", _("Social security and assistance")
    EMPLOYMENT = "employment", _("Employment")
    DISPUTE = "dispute", _("Neighbourhood disputes")
    OTHER = "other", _("Other")


# Working days allowed for an answer, by category (the 信访条例's 15 days at most; simple
# matters faster). A deadline counts working days after the day the case was received.
CATEGORY_WORKDAYS = {
    CaseCategory.ENVIRONMENT: 5,
    CaseCategory.SAFETY: 5,
    CaseCategory.HOUSING: 10,
    CaseCategory.LAND: 15,
    CaseCategory.WELFARE: 10,
    CaseCategory.EMPLOYMENT: 10,
    CaseCategory.DISPUTE: 10,
    CaseCategory.OTHER: 15,
}


class CaseChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    CALL = "call", _("Telephone call")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    REPLIED = "replied", _("Answered")
    CLOSED = "closed", _("Closed")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


class CaseEventKind(models.TextChoices):
    FILED = "filed", _("Filed online")
    RECORDED = "recorded", _("Recorded by staff")
    ASSIGNED = "assigned", _("Handler assigned")
    TRANSFERRED = "transferred", _("Transferred")
    REPLIED = "replied", _("Answered")
    CLOSED = "closed", _("Closed")
    RATED = "rated", _("Rated by the resident")
    REOPENED = "reopened", _("Re-opened by the resident")


class CaseQuerySet(ScopedQuerySet):
    def of_year(self, year: int) -> "CaseQuerySet":
        return self.filter(received_on__year=year)


class Case(TimeStamped):
    """One request or complaint. `contact` is for the handler only: never on a public page or in
    an export, masked in lists."""

    community_lookup = "community"

    objects = CaseQuerySet.as_manager()

    number = models.CharField(_("case number"), max_length=12, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    query_hash = models.CharField(_("query code (hash)"), max_length=64, unique=True, editable=False)
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="cases", verbose_name=_("community")
    )
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=CaseChannel.choices)
    body = models.TextField(_("request or complaint"), max_length=3000)
    contact = models.CharField(_("contact details"), max_length=100, blank=True)
    collective = models.BooleanField(
        _("collective"), default=False, help_text=_("A collective petition (集体访): five or more people together.")
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("answer due by"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler"),
    )
    reply = models.TextField(_("answer"), blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times re-opened"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-received_on", "-sequence"]
        verbose_name = _("request or complaint")
        verbose_name_plural = _("requests and complaints")
        indexes = [
            models.Index(fields=["community", "received_on"], name="case_community_received"),
            models.Index(fields=["status", "deadline"], name="case_status_deadline"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="case_unique_sequence"),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("received_on")), name="case_deadline_after"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.REPLIED) | models.Q(replied_at__isnull=False),
                name="case_replied_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED) | models.Q(closed_at__isnull=False),
                name="case_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("disclosure:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def is_replied(self) -> bool:
        return self.status == CaseStatus.REPLIED

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def is_rated(self) -> bool:
        return bool(self.satisfaction)

    @property
    def answered_on_time(self) -> bool | None:
        """None while unanswered."""
        if self.replied_at is None:
            return None
        return timezone.localdate(self.replied_at) <= self.deadline


class CaseEvent(models.Model):
    """What happened to a case, in order: filed or recorded, assigned, transferred (from and to a
    handler or community), answered, closed, rated, re-opened. Never changed once written."""

    community_lookup = "case__community"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("event"), max_length=20, choices=CaseEventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from handler"),
    )
    to_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to handler"),
    )
    from_community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from community"),
    )
    to_community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to community"),
    )
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class CaseCounter(models.Model):
    """The last case number given in a year; locked row by row so two filings never share one."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case counter")
        verbose_name_plural = _("case counters")

    def __str__(self):
        return f"{self.year}: {self.last}"
