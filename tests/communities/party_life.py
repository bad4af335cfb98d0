"""Helpers for the 三会一课 register and 党费 tests: a small organisation tree with members."""

from datetime import date

from communities.choices import OrgKind, OrgPostTitle
from communities.models import OrgPost, PartyOrganisation, Person
from tests.communities.factories import PartyMemberFactory


def working_committee() -> PartyOrganisation:
    return PartyOrganisation.objects.get_or_create(
        kind=OrgKind.WORKING_COMMITTEE, defaults={"name": "街道党工委", "founded_on": date(1990, 1, 1)}
    )[0]


def branch_of(community, name: str | None = None, founded_on=date(2000, 1, 1)) -> PartyOrganisation:
    return PartyOrganisation.objects.create(
        community=community,
        parent=working_committee(),
        kind=OrgKind.BRANCH,
        name=name or f"{community.name}党支部",
        founded_on=founded_on,
    )


def group_of(branch, name: str) -> PartyOrganisation:
    return PartyOrganisation.objects.create(
        community_id=branch.community_id, parent=branch, kind=OrgKind.GROUP, name=name, founded_on=branch.founded_on
    )


def member_of_branch(branch, group=None, *, user=None, joined_on=date(1995, 7, 1), **extra):
    return PartyMemberFactory(
        community_id=branch.community_id,
        branch=branch,
        group=group,
        user=user,
        joined_on=joined_on,
        full_on=date(joined_on.year + 1, joined_on.month, joined_on.day),
        **extra,
    )


def committee_post(branch, member, title=OrgPostTitle.SECRETARY, start_on=date(2004, 1, 1)) -> OrgPost:
    person = Person.objects.create(community_id=branch.community_id, name=member.name)
    member.person = person
    member.save(update_fields=["person"])
    return OrgPost.objects.create(organisation=branch, person=person, title=title, start_on=start_on)
