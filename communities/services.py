"""Every write to communities, cadres, party members and community-year indicators."""

from django.db import transaction

from jiedao.permissions import Role, ensure_can_manage, ensure_role

from .models import Cadre, Community, CommunityYear, PartyMember


@transaction.atomic
def community_save(*, actor, community: Community) -> Community:
    """Create or update a community: staff only."""
    ensure_role(actor, Role.STAFF)
    community.full_clean()
    community.save()
    return community


@transaction.atomic
def cadre_save(*, actor, cadre: Cadre) -> Cadre:
    ensure_role(actor, Role.STAFF)
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def cadre_delete(*, actor, cadre: Cadre) -> None:
    ensure_role(actor, Role.STAFF)
    cadre.delete()


@transaction.atomic
def party_member_save(*, actor, member: PartyMember) -> PartyMember:
    """Staff keep every roster; a secretary keeps their own community's."""
    ensure_can_manage(actor, member.community_id)
    member.id_number = member.id_number.upper()
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def party_member_delete(*, actor, member: PartyMember) -> None:
    ensure_can_manage(actor, member.community_id)
    member.delete()


@transaction.atomic
def community_year_save(*, actor, record: CommunityYear) -> CommunityYear:
    ensure_role(actor, Role.STAFF)
    record.full_clean()
    record.save()
    return record
