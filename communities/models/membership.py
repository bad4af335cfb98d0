"""Querysets for the membership records (issue 14): who belongs on a date, and their status.

Kept apart from the models so `communities/models/__init__.py` can use them before it defines
`PartyMember`; no import of the models here."""

from datetime import date

from django.db.models import Case, CharField, Q, Value, When

from communities.choices import MemberStatus
from jiedao.permissions import ScopedQuerySet


def belongs_on(day: date, prefix: str = "") -> Q:
    """Members on the roll on `day`: admitted (预备) by then, not transferred in later, not
    transferred out or disqualified by then."""
    p = prefix
    return (
        Q(**{f"{p}joined_on__lte": day})
        & (Q(**{f"{p}arrived_on__isnull": True}) | Q(**{f"{p}arrived_on__lte": day}))
        & (Q(**{f"{p}left_on__isnull": True}) | Q(**{f"{p}left_on__gt": day}))
        & (Q(**{f"{p}disqualified_on__isnull": True}) | Q(**{f"{p}disqualified_on__gt": day}))
    )


def status_case(day: date) -> Case:
    """The status each row has on `day`, the same rule as `PartyMember.status_on`."""
    return Case(
        When(disqualified_on__lte=day, then=Value(MemberStatus.DISQUALIFIED.value)),
        When(full_on__lte=day, then=Value(MemberStatus.FULL.value)),
        When(extension_decided_on__lte=day, then=Value(MemberStatus.EXTENDED.value)),
        default=Value(MemberStatus.PROBATIONARY.value),
        output_field=CharField(),
    )


class PartyMemberQuerySet(ScopedQuerySet):
    def active_on(self, day: date) -> "PartyMemberQuerySet":
        """The members who belong on `day` (transfers in and out and cancellations considered)."""
        return self.filter(belongs_on(day))

    def of_branch(self, org) -> "PartyMemberQuerySet":
        """Members of a 党支部 (or of a 党小组, or of every 支部 below a 党委/总支)."""
        return self.filter(Q(branch=org) | Q(group=org) | Q(branch__parent=org))

    def with_status(self, day: date) -> "PartyMemberQuerySet":
        """Annotates `derived_status` (a MemberStatus value) as derived from the dates on `day`."""
        return self.annotate(derived_status=status_case(day))

    def newly_developed_in(self, year: int) -> "PartyMemberQuerySet":
        """Admitted as probationary members in `year` here (transfers in are not new members)."""
        return self.filter(joined_on__year=year, arrived_on__isnull=True)
