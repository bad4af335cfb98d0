"""The way to membership (发展党员, issue 14 item 3): one `Recruit` per person, each step a date.

The stage is derived from the dates (never typed); the steps are taken through
`communities.services.lifecycle`, which refuses an out-of-order or too-early step. On 上级 approval
the recruit becomes a `PartyMember` (预备党员) whose 预备期 and 转正 are dates on that record."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.choices import RecruitStage
from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet


class Recruit(TimeStamped):
    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="recruits", verbose_name=_("community")
    )
    branch = models.ForeignKey(
        "communities.PartyOrganisation",
        on_delete=models.PROTECT,
        related_name="recruits",
        verbose_name=_("party branch"),
    )
    person = models.OneToOneField(
        "communities.Person", on_delete=models.PROTECT, related_name="recruit", verbose_name=_("person")
    )
    applied_on = models.DateField(_("application submitted"))
    activist_on = models.DateField(_("became an activist"), null=True, blank=True)
    contacts = models.CharField(_("members assigned to cultivate"), max_length=100, blank=True)
    candidate_on = models.DateField(_("became a candidate for development"), null=True, blank=True)
    review_on = models.DateField(_("political review concluded"), null=True, blank=True)
    publicity_start = models.DateField(_("public notice from"), null=True, blank=True)
    publicity_end = models.DateField(_("public notice until"), null=True, blank=True)
    branch_meeting_on = models.DateField(_("admitted by the branch general meeting"), null=True, blank=True)
    approved_on = models.DateField(_("approved by the higher organisation"), null=True, blank=True)
    dropped_on = models.DateField(_("no longer pursued"), null=True, blank=True)
    member = models.OneToOneField(
        "communities.PartyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recruit",
        verbose_name=_("party member record"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    class Meta:
        ordering = ["community__code", "applied_on", "id"]
        verbose_name = _("recruit")
        verbose_name_plural = _("recruits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activist_on__isnull=True) | models.Q(activist_on__gte=models.F("applied_on")),
                name="recruit_activist_after_application",
            ),
            models.CheckConstraint(
                condition=models.Q(candidate_on__isnull=True) | models.Q(activist_on__isnull=False),
                name="recruit_candidate_after_activist",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_on__isnull=True) | models.Q(branch_meeting_on__isnull=False),
                name="recruit_approved_after_meeting",
            ),
        ]

    def __str__(self):
        return str(self.person)

    def stage_on(self, day: date | None = None) -> str:
        day = day or date.today()
        if self.dropped_on and self.dropped_on <= day:
            return RecruitStage.DROPPED
        if self.approved_on and self.approved_on <= day:
            return RecruitStage.ACCEPTED
        if self.candidate_on and self.candidate_on <= day:
            return RecruitStage.CANDIDATE
        if self.activist_on and self.activist_on <= day:
            return RecruitStage.ACTIVIST
        return RecruitStage.APPLICANT

    @property
    def stage(self) -> str:
        return self.stage_on()

    def get_stage_display(self) -> str:
        return RecruitStage(self.stage).label
