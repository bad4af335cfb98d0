"""居务监督委员会 and the sub-district's monitoring of community boards.

Under the 城市居民委员会组织法 a community's 居务 and 财务 notices are checked by its residents'
supervision committee (监委会) before the community publishes them; the 街道 does not approve
them but monitors: it checks published notices by sample (抽查) and sends a 督办 instruction with
a deadline, which stays on the community's side until it is answered."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet

__all__ = ["Instruction", "SampleCheck", "SampleResult", "SupervisionCommittee"]


class SupervisionCommittee(TimeStamped):
    """One term of a community's 居务监督委员会: its accounts (users with the supervisor role, who
    check notices in the portal) and the names and posts of all its members."""

    community_lookup = "community"

    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="supervision_committees",
        verbose_name=_("community"),
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"))
    member_names = models.TextField(
        _("members"), help_text=_("One member a line: the name, then the post (主任, 委员).")
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="supervision_committees",
        verbose_name=_("portal accounts"),
        help_text=_("Members who check notices in the portal (accounts with the supervision-committee role)."),
    )

    class Meta:
        ordering = ["community", "-term_start"]
        verbose_name = _("residents' supervision committee")
        verbose_name_plural = _("residents' supervision committees")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")), name="supervisioncommittee_term_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.term_start:%Y}–{self.term_end:%Y}"

    @property
    def member_lines(self) -> list[str]:
        return [line.strip() for line in self.member_names.splitlines() if line.strip()]

    @property
    def is_current(self) -> bool:
        return self.term_start <= timezone.localdate() <= self.term_end


class SampleResult(models.TextChoices):
    PASSED = "passed", _("Complies")
    PROBLEMS = "problems", _("Problems found")


class SampleCheck(TimeStamped):
    """抽查: the 街道 checks a published community notice and records what it found."""

    community_lookup = "notice__board__community"

    objects = ScopedQuerySet.as_manager()

    notice = models.ForeignKey(
        "disclosure.Notice", on_delete=models.CASCADE, related_name="sample_checks", verbose_name=_("notice")
    )
    result = models.CharField(_("result"), max_length=20, choices=SampleResult.choices)
    note = models.TextField(_("findings"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sample check")
        verbose_name_plural = _("sample checks")

    def __str__(self):
        return f"{self.notice} {self.get_result_display()}"

    @property
    def found_problems(self) -> bool:
        return self.result == SampleResult.PROBLEMS


class Instruction(TimeStamped):
    """督办: the 街道's instruction to a community, with a deadline; open until the community answers."""

    community_lookup = "community"

    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="instructions", verbose_name=_("community")
    )
    notice = models.ForeignKey(
        "disclosure.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("notice concerned"),
    )
    text = models.TextField(_("instruction"), max_length=2000)
    due_on = models.DateField(_("answer due by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["answered_at", "due_on", "id"]
        verbose_name = _("supervision instruction")
        verbose_name_plural = _("supervision instructions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="instruction_answered_has_text",
            ),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
