"""Every write to the party organisation tree, its posts and the people who hold them (issue 14
items 1 and 2). Staff keep the 党工委 and every community's organisations; a community's
secretary keeps their own."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.choices import OrgKind
from communities.models import Cadre, OrgPost, PartyMember, PartyOrganisation, Person
from jiedao.imports.bulk import bulk_insert, filter_in, new_instance
from jiedao.models import Profile
from jiedao.permissions import ROLE_GROUPS, Role, ensure_can_keep_party_records


@transaction.atomic
def organisation_save(*, actor, organisation: PartyOrganisation) -> PartyOrganisation:
    ensure_can_keep_party_records(actor, organisation.community_id)
    if organisation.parent_id and organisation.parent.community_id not in (None, organisation.community_id):
        raise ValidationError(_("The parent organisation belongs to another community."))
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def org_post_save(*, actor, post: OrgPost) -> OrgPost:
    """A 书记/副书记/委员/组长 post. 公推直选 is recorded here (party posts) and never on a 居委会 post."""
    ensure_can_keep_party_records(actor, post.organisation.community_id)
    if post.person.community_id != post.organisation.community_id and post.organisation.community_id is not None:
        raise ValidationError({"person": _("The person belongs to another community.")})
    post.created_by = post.created_by or actor
    post.full_clean()
    post.save()
    return post


def person_matching(*, community_id: int, name: str, id_number: str | None = None) -> Person | None:
    """The Person this record is about: by ID number when there is one, else by name within the
    community (so a 两委 cadre and the same name's member record are one human)."""
    if id_number:
        found = Person.objects.filter(id_number=id_number.upper()).first()
        if found is not None:
            return found
    candidates = list(Person.objects.filter(community_id=community_id, name=name)[:2])
    if len(candidates) == 1 and (not id_number or not candidates[0].id_number):
        return candidates[0]
    return None


def _identity_from(member: PartyMember, person: Person) -> None:
    """The member record's identity fields (kept there for the roster, imports and masks) onto its Person."""
    person.community_id = member.community_id
    person.name = member.name
    person.gender = member.gender
    person.birth_date = member.birth_date
    person.id_number = member.id_number.upper()
    person.mobile = member.mobile


def person_for_member(member: PartyMember) -> Person:
    """The member's Person, created or brought up to date from the member record (which keeps the
    identity fields the roster, imports and masks use). Called by the member services."""
    person = member.person or person_matching(
        community_id=member.community_id, name=member.name, id_number=member.id_number
    )
    if person is None:
        person = Person(community_id=member.community_id)
    _identity_from(member, person)
    person.full_clean()
    person.save()
    return person


def person_for_cadre(cadre: Cadre) -> Person:
    """The cadre's Person: an existing one of the same name in the community (a member, or the
    holder of another post), else a new one."""
    person = cadre.person or person_matching(community_id=cadre.community_id, name=cadre.name)
    if person is None:
        person = Person(community_id=cadre.community_id, name=cadre.name)
    if cadre.education and not person.education:
        person.education = cadre.education
    person.full_clean()
    person.save()
    return person


def community_top_organisation(community_id: int) -> PartyOrganisation | None:
    return (
        PartyOrganisation.objects.filter(community_id=community_id, parent__kind=OrgKind.WORKING_COMMITTEE)
        .order_by("pk")
        .first()
    )


# The member fields a roster import writes (bulk mode): identity, branch and the dated steps.
MEMBER_IMPORT_FIELDS = (
    "community_id",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "mobile",
    "joined_on",
    "branch_id",
    "group_id",
    "oath_on",
    "full_on",
)


def bulk_link_people(members: list[PartyMember]) -> None:
    """Persons for many new members in two statements (roster imports): an existing Person with the
    same ID number is reused, the others are created."""
    numbers = [m.id_number.upper() for m in members if m.person_id is None]
    existing = {p.id_number: p for p in filter_in(Person.objects.all(), "id_number", numbers)}
    new = []
    for member in members:
        if member.person_id is not None:
            continue
        person = existing.get(member.id_number.upper())
        if person is None:
            person = new_instance(Person)  # Person(...) for many rows
            _identity_from(member, person)
            new.append(person)
        member.person = person
    bulk_insert(Person, new)
    for member in members:
        if member.person is not None:
            member.person_id = member.person.pk


@transaction.atomic
def member_account_open(*, actor, member: PartyMember, username: str) -> tuple:
    """A 党员 account for a member on the roll: the 党员 role, tied to the record. Returns (user,
    initial password); the password is shown once to the secretary to hand over, and the member
    changes it at /accounts/password/."""
    ensure_can_keep_party_records(actor, member.community_id)
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    if member.user_id is not None:
        raise ValidationError(_("This member already has an account."))
    if member.left_on is not None or member.disqualified_on is not None:
        raise ValidationError(_("Only a member on the roll gets an account."))
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Enter a user name.")})
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    password = initial_password()
    user = User.objects.create_user(username=username, password=password, first_name=member.name)
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role.MEMBER])[0])
    Profile.objects.create(user=user, community=None)  # a member reads through their record, not a community
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    return user, password


def initial_password() -> str:
    """12 characters with upper case, lower case and digits (the password policy), no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12))
        if (
            any(c.isupper() for c in password)
            and any(c.islower() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def monthly_member_figures(*, community_id: int, period) -> dict[str, int] | None:
    """The monthly update's 新发展党员 from the roster (admitted as 预备党员 that month; a transfer in
    is not a new member), or None for a community whose roster is not yet in the tree (its secretary
    still types it)."""
    if not PartyMember.objects.filter(community_id=community_id, branch__isnull=False).exists():
        return None
    admitted = PartyMember.objects.filter(
        community_id=community_id,
        joined_on__year=period.year,
        joined_on__month=period.month,
        arrived_on__isnull=True,
    )
    return {"new_members": admitted.count()}
