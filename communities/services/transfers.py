"""组织关系转接 and 流动党员 (issue 14 item 4). A transfer out sets the member's `left_on`, a transfer
in creates the member with `arrived_on`: the counts (PartyMember.objects.active_on) change from the
effective date, not from the day it was typed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from communities.choices import TransferKind
from communities.models import FlowRecord, PartyMember, PartyOrganisation, Transfer
from communities.services.lifecycle import check_branch
from communities.services.organisation import person_for_member
from jiedao.pdf import render_pdf
from jiedao.permissions import ensure_can_keep_party_records


def _next_number(year: int) -> str:
    """介绍信 numbers run per year: 2005-001, 2005-002 … (the table is locked while counting)."""
    taken = list(
        Transfer.objects.select_for_update()
        .filter(kind=TransferKind.OUT, number__startswith=f"{year}-")
        .values_list("number", flat=True)
    )
    last = max((int(n.split("-", 1)[1]) for n in taken), default=0)
    return f"{year}-{last + 1:03d}"


@transaction.atomic
def transfer_out(*, actor, member: PartyMember, effective_on: date, counterpart: str, note: str = "") -> Transfer:
    """The member leaves for another organisation: a numbered 介绍信, the member off the roll from
    `effective_on`, the 回执 awaited (overdue after three months)."""
    ensure_can_keep_party_records(actor, member.community_id)
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError(_("This member has already been transferred out."))
    start = max(d for d in (member.joined_on, member.arrived_on) if d is not None)
    if effective_on < start:
        raise ValidationError({"effective_on": _("The transfer cannot take effect before the member joined here.")})
    if not counterpart.strip():
        raise ValidationError({"counterpart": _("Name the organisation the member transfers to.")})
    transfer = Transfer(
        member=member,
        kind=TransferKind.OUT,
        effective_on=effective_on,
        number=_next_number(effective_on.year),
        counterpart=counterpart.strip(),
        note=note,
        created_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    member.left_on = effective_on
    member.save(update_fields=["left_on", "updated_at"])
    return transfer


@transaction.atomic
def transfer_record_receipt(*, actor, transfer: Transfer, on: date) -> Transfer:
    ensure_can_keep_party_records(actor, transfer.member.community_id)
    if not transfer.is_out:
        raise ValidationError(_("Only a transfer out has a receipt."))
    if on < transfer.effective_on:
        raise ValidationError({"receipt_on": _("The receipt cannot come back before the letter was issued.")})
    transfer.receipt_on = on
    transfer.full_clean()
    transfer.save()
    return transfer


@transaction.atomic
def transfer_in(
    *,
    actor,
    member: PartyMember,
    effective_on: date,
    counterpart: str,
    branch: PartyOrganisation,
    group: PartyOrganisation | None = None,
    note: str = "",
) -> Transfer:
    """A member arrives from another organisation: `member` is the unsaved record (identity, joined_on,
    full_on as their file says); they are on the branch's roll from `effective_on`."""
    ensure_can_keep_party_records(actor, member.community_id)
    check_branch(branch, member.community_id, group)
    if not counterpart.strip():
        raise ValidationError({"counterpart": _("Name the organisation the member comes from.")})
    if effective_on < member.joined_on:
        raise ValidationError({"effective_on": _("The member cannot arrive before joining the party.")})
    member.branch, member.group, member.arrived_on = branch, group, effective_on
    member.id_number = member.id_number.upper()
    member.full_clean()
    member.save()
    member.person = person_for_member(member)
    member.save(update_fields=["person", "updated_at"])
    transfer = Transfer(
        member=member,
        kind=TransferKind.IN,
        effective_on=effective_on,
        counterpart=counterpart.strip(),
        note=note,
        created_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    return transfer


def transfer_letter_pdf(transfer: Transfer) -> bytes:
    """The numbered 介绍信 with its tear-off 回执."""
    html = render_to_string("communities/transfer_letter.html", {"transfer": transfer, "member": transfer.member})
    return render_pdf(html)


@transaction.atomic
def flow_record_save(*, actor, flow: FlowRecord) -> FlowRecord:
    """A 流动党员: where they are, how to reach them, the 流入地 organisation. They stay on their
    branch's roll; the 流动党员 count changes from `left_on` to `returned_on`."""
    ensure_can_keep_party_records(actor, flow.member.community_id)
    if flow.left_on < flow.member.joined_on:
        raise ValidationError({"left_on": _("The date is before the member joined the party.")})
    open_flows = FlowRecord.objects.filter(member=flow.member, returned_on__isnull=True).exclude(pk=flow.pk)
    if flow.returned_on is None and open_flows.exists():
        raise ValidationError(_("The member is already recorded as away; record the return first."))
    flow.created_by_id = flow.created_by_id or actor.pk
    flow.full_clean()
    flow.save()
    return flow
