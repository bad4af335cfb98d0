"""Reads of the party organisation and its members (issue 14). Every figure is computed from the
records (the tree, the roster's dates, transfers and 流动党员 records); query counts are flat."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from communities.choices import Education, MemberStatus, OrgKind, TransferKind
from communities.models import FlowRecord, PartyMember, PartyOrganisation, Transfer
from communities.models.transfers import RECEIPT_OVERDUE_DAYS

AGE_BANDS = (
    (0, 35, _("35 and under")),
    (36, 45, _("36 to 45")),
    (46, 55, _("46 to 55")),
    (56, 60, _("56 to 60")),
    (61, 200, _("61 and over")),
)


def member_of(user) -> PartyMember | None:
    """The party member record of a 党员 account, or None (anonymous users, other accounts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_jiedao_member", False)
    if cached is False:
        cached = PartyMember.objects.select_related("community", "branch", "group").filter(user=user).first()
        user._jiedao_member = cached
    return cached


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class MembershipFigures:
    year: int
    on: date
    organisations: dict  # OrgKind value → count (existing on `on`)
    members: int
    by_status: dict  # MemberStatus value → count
    by_age: list  # [(label, count)]
    by_education: list  # [(label, count)]
    by_gender: dict
    newly_developed: int
    made_full: int
    extended: int
    cancelled: int
    transferred_in: int
    transferred_out: int
    receipts_overdue: int
    mobile_members: int
    branches_over_50: int


def members_on(day: date, community=None) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.active_on(day)
    return qs.filter(community=community) if community is not None else qs


def membership_figures(year: int, community=None) -> MembershipFigures:
    """The membership chapter's figures for `year`, as of 31 December (or of one community).
    Newly developed = admitted as 预备党员 in the year (transfers in are not counted)."""
    end = date(year, 12, 31)
    roster = members_on(end, community)
    rows = list(roster.with_status(end).values("derived_status", "birth_date", "gender", "person__education"))
    by_status = {s.value: 0 for s in MemberStatus}
    ages = [0] * len(AGE_BANDS)
    education = {e.value: 0 for e in Education}
    education_unknown = 0
    gender: dict = {}
    for row in rows:
        by_status[row["derived_status"]] += 1
        age = _age_on(row["birth_date"], end)
        for i, (low, high, _label) in enumerate(AGE_BANDS):
            if low <= age <= high:
                ages[i] += 1
                break
        if row["person__education"]:
            education[row["person__education"]] += 1
        else:
            education_unknown += 1
        gender[row["gender"]] = gender.get(row["gender"], 0) + 1
    everyone = PartyMember.objects.all() if community is None else PartyMember.objects.filter(community=community)
    year_counts = everyone.aggregate(
        new=Count("pk", filter=Q(joined_on__year=year, arrived_on__isnull=True)),
        full=Count("pk", filter=Q(full_on__year=year)),
        extended=Count("pk", filter=Q(extension_decided_on__year=year)),
        cancelled=Count("pk", filter=Q(disqualified_on__year=year)),
    )
    transfers = Transfer.objects.filter(effective_on__year=year)
    flows = FlowRecord.objects.filter(left_on__lte=end).filter(Q(returned_on__isnull=True) | Q(returned_on__gt=end))
    orgs = PartyOrganisation.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
    if community is not None:
        transfers = transfers.filter(member__community=community)
        flows = flows.filter(member__community=community)
        orgs = orgs.filter(community=community)
    transfer_counts = transfers.aggregate(
        tin=Count("pk", filter=Q(kind=TransferKind.IN)),
        tout=Count("pk", filter=Q(kind=TransferKind.OUT)),
    )
    # Letters out by the end of the year whose 回执 was not back within three months.
    outs = Transfer.objects.filter(kind=TransferKind.OUT, effective_on__lte=end - timedelta(days=RECEIPT_OVERDUE_DAYS))
    if community is not None:
        outs = outs.filter(member__community=community)
    overdue = outs.filter(Q(receipt_on__isnull=True) | Q(receipt_on__gt=end)).count()
    kinds = dict(orgs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    branch_sizes = roster.filter(branch__isnull=False).values("branch").annotate(n=Count("pk")).filter(n__gt=50)
    return MembershipFigures(
        year=year,
        on=end,
        organisations={k.value: kinds.get(k.value, 0) for k in OrgKind},
        members=len(rows),
        by_status=by_status,
        by_age=[(str(label), ages[i]) for i, (_l, _h, label) in enumerate(AGE_BANDS)],
        by_education=[(str(e.label), education[e.value]) for e in Education]
        + [(str(_("Not recorded")), education_unknown)],
        by_gender=gender,
        newly_developed=year_counts["new"],
        made_full=year_counts["full"],
        extended=year_counts["extended"],
        cancelled=year_counts["cancelled"],
        transferred_in=transfer_counts["tin"],
        transferred_out=transfer_counts["tout"],
        receipts_overdue=overdue,
        mobile_members=flows.values("member").distinct().count(),
        branches_over_50=branch_sizes.count(),
    )
