"""Deciding with residents and showing what was done, and the ledger of disclosable events.

- `MeetingOpinion`: a resident's opinion on an announced open meeting or 民主议事会, left on the
  public board during its opinion period and shown after moderation (contact never public).
- `Decision`: what a meeting decided, linked to the opinions heard before deciding.
- `DecisionItem`: an implementation task of a decision (owner, due date, status, progress), with
  optional links to a finance line, a notice (a contract, a list) and a showcase rectification.
  Together they make the public decision trail: agenda → opinions → decision → implementation → result.
- `DisclosureEvent`: an event an event-driven catalogue item must disclose (a 议事会 decision, a
  collective-asset contract, a subsidy list) with its due date; one not disclosed in time counts
  as 未公开 in 公开及时率."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.choices import FeedbackStatus
from disclosure.models.submissions import ResidentSubmission
from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet

__all__ = [
    "Decision",
    "DecisionItem",
    "DecisionItemStatus",
    "DisclosureEvent",
    "EventKind",
    "MeetingOpinion",
    "OpinionQuerySet",
]


class OpinionQuerySet(ScopedQuerySet):
    def public(self) -> "OpinionQuerySet":
        return self.filter(status=FeedbackStatus.PUBLISHED)


class MeetingOpinion(ResidentSubmission):
    """A resident's opinion on a meeting's agenda, before the meeting decides."""

    community_lookup = "meeting__board__community"

    objects = OpinionQuerySet.as_manager()

    meeting = models.ForeignKey(
        "disclosure.OpenMeeting",
        on_delete=models.CASCADE,
        related_name="resident_opinions",
        verbose_name=_("meeting"),
    )
    body = models.TextField(_("opinion"), max_length=2000)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("resident's opinion")
        verbose_name_plural = _("residents' opinions")


class Decision(TimeStamped):
    """A decision of an open meeting or a 民主议事会, with the opinions heard before it."""

    community_lookup = "meeting__board__community"

    objects = ScopedQuerySet.as_manager()

    meeting = models.ForeignKey(
        "disclosure.OpenMeeting", on_delete=models.PROTECT, related_name="decision_records", verbose_name=_("meeting")
    )
    title = models.CharField(_("decision"), max_length=200)
    text = models.TextField(_("what was decided"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    opinions_heard = models.ManyToManyField(
        MeetingOpinion, blank=True, related_name="decisions", verbose_name=_("opinions heard")
    )
    response = models.TextField(
        _("how the opinions were taken up"), blank=True, help_text=_("Shown on the public decision trail.")
    )
    result = models.TextField(_("result"), blank=True, help_text=_("What came of it once carried out."))

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosure:meeting_trail", args=[self.meeting_id])


class DecisionItemStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class DecisionItem(TimeStamped):
    """One implementation task of a decision; its progress is public on the decision trail."""

    community_lookup = "decision__meeting__board__community"

    objects = ScopedQuerySet.as_manager()

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items", verbose_name=_("decision"))
    task = models.CharField(_("task"), max_length=200)
    owner = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionItemStatus.choices, default=DecisionItemStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    progress_note = models.TextField(_("progress report"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    finance_line = models.ForeignKey(
        "disclosure.FinanceLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision_items",
        verbose_name=_("funding line"),
    )
    notice = models.ForeignKey(
        "disclosure.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision_items",
        verbose_name=_("contract or notice"),
    )
    rectification = models.ForeignKey(
        "showcase.Rectification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision_items",
        verbose_name=_("rectification item"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["decision", "order", "due_on", "id"]
        verbose_name = _("implementation item")
        verbose_name_plural = _("implementation items")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="decisionitem_progress_lte_100"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False, progress=100),
                name="decisionitem_done_complete",
            ),
        ]

    def __str__(self):
        return self.task

    @property
    def is_done(self) -> bool:
        return self.status == DecisionItemStatus.DONE

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


class EventKind(models.TextChoices):
    COUNCIL_DECISION = "council_decision", _("A deliberation council's decision")
    ASSET_CONTRACT = "asset_contract", _("A collective-asset contract or lease")
    SUBSIDY_LIST = "subsidy_list", _("A subsidy or relief list")
    OTHER = "other", _("Another event")


class DisclosureEvent(TimeStamped):
    """An event a community must disclose under an event-driven catalogue item, due within the
    item's working days; `notice` is the notice that disclosed it once there is one."""

    community_lookup = "community"

    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="disclosure_events", verbose_name=_("community")
    )
    catalog_item = models.ForeignKey(
        "disclosure.CatalogItem", on_delete=models.PROTECT, related_name="events", verbose_name=_("catalogue item")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("what happened"), max_length=200)
    occurred_on = models.DateField(_("event date"))
    due_on = models.DateField(_("to be disclosed by"), editable=False)
    meeting = models.ForeignKey(
        "disclosure.OpenMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosure_events",
        verbose_name=_("meeting"),
    )
    notice = models.ForeignKey(
        "disclosure.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosure_events",
        verbose_name=_("disclosed by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("disclosable event")
        verbose_name_plural = _("disclosable events")
        indexes = [models.Index(fields=["occurred_on", "community"], name="disclosureevent_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosure:event_list") + f"?community={self.community_id}"
