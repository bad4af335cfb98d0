"""组织关系转接 and 流动党员 (issue 14 item 4). Each transfer moves the member's dates
(`PartyMember.left_on` / `arrived_on`), so the counts change from its effective date."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.choices import TransferKind
from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet

RECEIPT_OVERDUE_DAYS = 90  # a 回执 not back three months after the letter: overdue


class Transfer(TimeStamped):
    community_lookup = "member__community"
    objects = ScopedQuerySet.as_manager()

    member = models.ForeignKey(
        "communities.PartyMember", on_delete=models.PROTECT, related_name="transfers", verbose_name=_("party member")
    )
    kind = models.CharField(_("direction"), max_length=5, choices=TransferKind.choices)
    effective_on = models.DateField(_("effective date"))
    number = models.CharField(_("letter number"), max_length=30, null=True, blank=True, unique=True)
    counterpart = models.CharField(_("organisation transferred to or from"), max_length=100)
    receipt_on = models.DateField(_("receipt returned"), null=True, blank=True)
    note = models.CharField(_("remarks"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("transfer of party membership")
        verbose_name_plural = _("transfers of party membership")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="in") | models.Q(number__isnull=False), name="transfer_out_has_number"
            ),
            models.CheckConstraint(
                condition=models.Q(receipt_on__isnull=True) | models.Q(receipt_on__gte=models.F("effective_on")),
                name="transfer_receipt_after_letter",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.effective_on}"

    @property
    def is_out(self) -> bool:
        return self.kind == TransferKind.OUT

    @property
    def receipt_due(self) -> date:
        return self.effective_on + timedelta(days=RECEIPT_OVERDUE_DAYS)

    def receipt_overdue_on(self, day: date) -> bool:
        return self.is_out and self.receipt_on is None and day > self.receipt_due

    @property
    def receipt_overdue(self) -> bool:
        return self.receipt_overdue_on(date.today())


class FlowRecord(TimeStamped):
    """A 流动党员: away from home for work or study, kept on the branch's roll."""

    community_lookup = "member__community"
    objects = ScopedQuerySet.as_manager()

    member = models.ForeignKey(
        "communities.PartyMember", on_delete=models.PROTECT, related_name="flows", verbose_name=_("party member")
    )
    left_on = models.DateField(_("away since"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    location = models.CharField(_("where they are"), max_length=100)
    contact = models.CharField(_("contact"), max_length=50)
    inflow_organisation = models.CharField(_("party organisation where they are"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-left_on", "-id"]
        verbose_name = _("mobile party member record")
        verbose_name_plural = _("mobile party member records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True) | models.Q(returned_on__gte=models.F("left_on")),
                name="flowrecord_returns_after_leaving",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.location}"

    def away_on(self, day: date) -> bool:
        return self.left_on <= day and (self.returned_on is None or self.returned_on > day)
