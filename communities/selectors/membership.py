"""Reads of the party organisation and its members (issue 14). Every figure is computed from the
records (the tree, the roster's dates, transfers and 流动党员 records); query counts are flat."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from communities.choices import Education, MemberStatus, OrgKind, TransferKind
from communities.models import Cadre, FlowRecord, PartyMember, PartyOrganisation, Transfer
from communities.models.transfers import RECEIPT_OVERDUE_DAYS
from disclosure.choices import Audience, NoticeStatus
from disclosure.models import Notice
from jiedao.permissions import member_community_id

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
    rows = list(
        roster.with_status(end)
        .values("derived_status", "birth_date", "gender", "person__education", "branch_id")
        .order_by()  # counted, not listed: the roster's ordering would join the communities to sort
    )
    by_status = {s.value: 0 for s in MemberStatus}
    ages = [0] * len(AGE_BANDS)
    education = {e.value: 0 for e in Education}
    education_unknown = 0
    gender: dict = {}
    branch_sizes: dict = {}
    for row in rows:
        if row["branch_id"] is not None:
            branch_sizes[row["branch_id"]] = branch_sizes.get(row["branch_id"], 0) + 1
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
    in_year = Q(effective_on__year=year)
    # Letters out by the end of the year whose 回执 was not back within three months.
    overdue = Q(kind=TransferKind.OUT, effective_on__lte=end - timedelta(days=RECEIPT_OVERDUE_DAYS)) & (
        Q(receipt_on__isnull=True) | Q(receipt_on__gt=end)
    )
    transfers = Transfer.objects.filter(in_year | overdue)
    flows = FlowRecord.objects.filter(left_on__lte=end).filter(Q(returned_on__isnull=True) | Q(returned_on__gt=end))
    orgs = PartyOrganisation.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
    if community is not None:
        transfers = transfers.filter(member__community=community)
        flows = flows.filter(member__community=community)
        orgs = orgs.filter(community=community)
    transfer_counts = transfers.aggregate(
        tin=Count("pk", filter=in_year & Q(kind=TransferKind.IN)),
        tout=Count("pk", filter=in_year & Q(kind=TransferKind.OUT)),
        overdue=Count("pk", filter=overdue),
    )
    kinds = dict(orgs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
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
        receipts_overdue=transfer_counts["overdue"],
        mobile_members=flows.values("member").distinct().count(),
        branches_over_50=sum(1 for n in branch_sizes.values() if n > 50),
    )


def one_post_per_person(cadres: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """Of these posts, one per human: a person holding two posts (书记 and 居委会主任) is counted,
    trained, appraised and paid once, on their first post. Posts with no person stay as they are."""
    first = cadres.filter(person__isnull=False).values("person").annotate(first=Min("pk")).values("first")
    return cadres.filter(Q(person__isnull=True) | Q(pk__in=first))


def person_key(cadre_id: int, person_id: int | None):
    """What identifies the human behind a post: their Person, else the post itself."""
    return ("person", person_id) if person_id is not None else ("cadre", cadre_id)


def roster_member_counts(years) -> dict[tuple[int, int], int]:
    """{(community id, year): members on the roll on 31 December} for the communities that keep a
    roster; one query per year."""
    kept = set(PartyMember.objects.values_list("community_id", flat=True).distinct())
    counts = {}
    for year in set(years):
        for community_id, n in (
            PartyMember.objects.active_on(date(year, 12, 31))
            .values("community")
            .annotate(n=Count("pk"))
            .values_list("community", "n")
        ):
            counts[(community_id, year)] = n
        for community_id in kept:
            counts.setdefault((community_id, year), 0)
    return counts


def apply_roster_counts(records) -> list:
    """Yearly indicator records with `party_member_count` read from the roster wherever the
    community keeps one, so the dashboard, the report and the roster say the same number."""
    records = list(records)
    counts = roster_member_counts({r.year for r in records})
    for record in records:
        found = counts.get((record.community_id, record.year))
        if found is not None:
            record.party_member_count = found
    return records


# -- the tree and its checks ---------------------------------------------------------------------

BRANCH_MAX_MEMBERS = 50  # a 支部 of more than 50 members should be split (or become a 总支)
COMMITTEE_MIN_MEMBERS = 50  # a 党委 normally has 100 or more; below 50 is "far below" (flagged)
TERM_DUE_DAYS = 92  # a 换届 due within three months is flagged


@dataclass
class OrgRow:
    organisation: PartyOrganisation
    depth: int
    members: int  # on the roll today, in it and every organisation below it
    warnings: list = field(default_factory=list)
    term_due: bool = False


def organisation_tree(*, user, today: date) -> list[OrgRow]:
    """The tree as rows in display order (parents before their children), with member counts and
    the checks: a 支部 over 50, a 党委 far below 100 (under 50), a 换届 due within three months or
    overdue. Staff, inspectors and auditors see it all; a secretary their community and the root.
    Three queries."""
    orgs = list(
        PartyOrganisation.objects.filter(Q(community__isnull=True) | Q(pk__in=PartyOrganisation.objects.restrict(user)))
        .select_related("community")
        .order_by("name")
    )
    direct = dict(
        PartyMember.objects.active_on(today)
        .filter(branch__isnull=False)
        .values("branch")
        .annotate(n=Count("pk"))
        .values_list("branch", "n")
    )
    children: dict = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    rows: list[OrgRow] = []

    def visit(org, depth) -> int:
        row = OrgRow(org, depth, 0)
        rows.append(row)
        total = direct.get(org.pk, 0)
        for child in children.get(org.pk, []):
            if child.kind != OrgKind.GROUP:
                total += visit(child, depth + 1)
            else:
                visit(child, depth + 1)
        if org.kind == OrgKind.GROUP:
            total = 0  # a group's members are its branch's; counted there
        row.members = total
        if org.kind == OrgKind.BRANCH and total > BRANCH_MAX_MEMBERS:
            row.warnings.append(
                _("%(n)s members: a party branch of more than %(max)s should be split.")
                % {"n": total, "max": BRANCH_MAX_MEMBERS}
            )
        if org.kind == OrgKind.COMMITTEE and total < COMMITTEE_MIN_MEMBERS:
            row.warnings.append(
                _("%(n)s members: far below the hundred a party committee normally has.") % {"n": total}
            )
        if org.term_end and org.term_end <= today + timedelta(days=TERM_DUE_DAYS):
            row.term_due = True
        return total

    visible = {o.pk for o in orgs}
    for org in orgs:
        if org.parent_id is None or org.parent_id not in visible:
            visit(org, 0)
    return rows


def member_internal_notices(user) -> QuerySet:
    """The party-internal notices a 党员 may read: published on their own community's board."""
    community_id = member_community_id(user)
    if community_id is None:
        return Notice.objects.none()
    return (
        Notice.objects.filter(status=NoticeStatus.PUBLISHED, board__community_id=community_id)
        .exclude(catalog_item__audience=Audience.PUBLIC)
        .select_related("board", "catalog_item")
        .order_by("-published_at", "-pk")
    )
