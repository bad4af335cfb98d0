"""The annual report's chapter on the party organisation and its members: every figure from the
records (the organisation tree, the roster's dates, transfers, the meeting register, the dues
ledger). A fixed number of queries whatever the number of communities."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from communities.choices import MemberStatus, OrgKind
from communities.models import DuesPayment
from communities.periods import local_today
from communities.selectors.meetings import BranchCadence, branch_cadence
from communities.selectors.membership import MembershipFigures, membership_figures


@dataclass
class MembershipSection:
    year: int
    figures: MembershipFigures
    organisations: list  # [(label, count)]
    statuses: list  # [(label, count)]
    cadences: list[BranchCadence]
    meetings_required: int
    meetings_met: int
    theme_required: int
    theme_met: int
    dues_collected: Decimal
    dues_payers: int
    dues_by_community: list  # [(community name, total)]

    @property
    def meetings_rate(self):
        return round(self.meetings_met * 100 / self.meetings_required, 1) if self.meetings_required else None


def membership_report_section(*, year: int, today: date | None = None) -> MembershipSection:
    figures = membership_figures(year)
    # The register is judged as of the year's end (or today, for the running year).
    judged_on = min(today or local_today(), date(year + 1, 1, 1))
    cadences = branch_cadence(year=year, today=judged_on)
    # each member is of one community: the communities' payers add up to the sub-district's
    by_community = list(
        DuesPayment.objects.filter(paid_on__year=year)
        .values("member__community__code", "member__community__name")
        .annotate(total=Sum("amount"), payers=Count("member", distinct=True))
        .order_by("member__community__code")
    )
    return MembershipSection(
        year=year,
        figures=figures,
        organisations=[(str(k.label), figures.organisations.get(k.value, 0)) for k in OrgKind],
        statuses=[(str(s.label), figures.by_status.get(s.value, 0)) for s in MemberStatus],
        cadences=cadences,
        meetings_required=sum(c.required for c in cadences),
        meetings_met=sum(c.met for c in cadences),
        theme_required=sum(c.theme_required for c in cadences),
        theme_met=sum(c.theme_met for c in cadences),
        dues_collected=sum((row["total"] for row in by_community), Decimal("0.00")),
        dues_payers=sum(row["payers"] for row in by_community),
        dues_by_community=[(row["member__community__name"], row["total"]) for row in by_community],
    )
