"""组织关系转接 and 流动党员 (issue 14 item 4): counts move from the effective date; the letter is
numbered and printed as a PDF; the 回执 is overdue after three months."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.choices import TransferKind
from communities.models import FlowRecord, PartyMember, Transfer
from communities.selectors import membership_figures
from communities.services import transfers
from tests.communities.factories import PartyMemberFactory, valid_id_number
from tests.communities.party_life import branch_of, member_of_branch

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(community_a):
    return branch_of(community_a)


def test_transfer_out_moves_the_count_from_its_effective_date(secretary_a, branch):
    member = member_of_branch(branch)
    member_of_branch(branch)
    transfer = transfers.transfer_out(
        actor=secretary_a, member=member, effective_on=date(2005, 6, 15), counterpart="中共某某街道工作委员会"
    )
    assert transfer.number == "2005-001"
    roll = PartyMember.objects.of_branch(branch)
    assert roll.active_on(date(2005, 6, 14)).count() == 2
    assert roll.active_on(date(2005, 6, 15)).count() == 1
    figures = membership_figures(2005)
    assert (figures.members, figures.transferred_out) == (1, 1)
    assert membership_figures(2004).members == 2
    second = transfers.transfer_out(
        actor=secretary_a, member=member_of_branch(branch), effective_on=date(2005, 8, 1), counterpart="中共某委"
    )
    assert second.number == "2005-002"


def test_transfer_out_twice_or_before_joining_is_refused(secretary_a, branch):
    member = member_of_branch(branch, joined_on=date(2000, 3, 1))
    with pytest.raises(ValidationError):
        transfers.transfer_out(actor=secretary_a, member=member, effective_on=date(1999, 1, 1), counterpart="某委")
    transfers.transfer_out(actor=secretary_a, member=member, effective_on=date(2005, 1, 1), counterpart="某委")
    with pytest.raises(ValidationError):
        transfers.transfer_out(actor=secretary_a, member=member, effective_on=date(2005, 2, 1), counterpart="某委")
    assert Transfer.objects.count() == 1


def test_receipt_overdue_after_three_months(secretary_a, branch):
    transfer = transfers.transfer_out(
        actor=secretary_a, member=member_of_branch(branch), effective_on=date(2005, 6, 1), counterpart="某委"
    )
    assert not transfer.receipt_overdue_on(date(2005, 8, 30))
    assert transfer.receipt_overdue_on(date(2005, 9, 1))
    assert membership_figures(2005).receipts_overdue == 1
    with pytest.raises(ValidationError):
        transfers.transfer_record_receipt(actor=secretary_a, transfer=transfer, on=date(2005, 5, 1))
    transfers.transfer_record_receipt(actor=secretary_a, transfer=transfer, on=date(2005, 7, 1))
    transfer.refresh_from_db()
    assert not transfer.receipt_overdue_on(date(2006, 1, 1))
    assert membership_figures(2005).receipts_overdue == 0


def test_transfer_in_counts_from_arrival_and_is_not_a_new_member(secretary_a, branch, community_a):
    member = PartyMemberFactory.build(community=community_a, joined_on=date(2001, 7, 1), full_on=date(2002, 7, 1))
    transfers.transfer_in(
        actor=secretary_a,
        member=member,
        effective_on=date(2005, 4, 1),
        counterpart="中共郫县犀浦镇委员会",
        branch=branch,
    )
    assert not PartyMember.objects.active_on(date(2005, 3, 31)).exists()
    assert PartyMember.objects.active_on(date(2005, 4, 1)).get().person.id_number == member.id_number
    figures = membership_figures(2005)
    assert (figures.members, figures.transferred_in, figures.newly_developed) == (1, 1, 0)
    assert Transfer.objects.get().kind == TransferKind.IN


def test_letter_pdf(secretary_a, branch):
    transfer = transfers.transfer_out(
        actor=secretary_a, member=member_of_branch(branch), effective_on=date(2005, 6, 1), counterpart="某委"
    )
    pdf = transfers.transfer_letter_pdf(transfer)
    assert pdf.startswith(b"%PDF")


def test_mobile_member_counted_while_away(secretary_a, branch):
    member = member_of_branch(branch)
    flow = transfers.flow_record_save(
        actor=secretary_a,
        flow=FlowRecord(
            member=member,
            left_on=date(2005, 3, 1),
            location="广东省东莞市",
            contact="13800000000",
            inflow_organisation="东莞某流动党员党支部",
        ),
    )
    assert membership_figures(2005).mobile_members == 1
    assert membership_figures(2004).mobile_members == 0
    with pytest.raises(ValidationError):  # already away
        transfers.flow_record_save(
            actor=secretary_a,
            flow=FlowRecord(member=member, left_on=date(2005, 5, 1), location="x", contact="y"),
        )
    flow.returned_on = date(2005, 10, 1)
    transfers.flow_record_save(actor=secretary_a, flow=flow)
    assert membership_figures(2005).mobile_members == 0
    assert PartyMember.objects.active_on(date(2005, 12, 31)).count() == 1  # stayed on the branch's roll


def test_transfer_in_and_away_through_the_pages(client, secretary_a, branch, community_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("org:transfer_in", args=[community_a.pk]),
        {
            "name": "孙转入",
            "gender": "male",
            "birth_date": "1975-04-05",
            "id_number": valid_id_number(61, date(1975, 4, 5)),
            "joined_on": "2000-07-01",
            "full_on": "2001-07-01",
            "branch": branch.pk,
            "effective_on": "2005-03-01",
            "counterpart": "中共郫县犀浦镇委员会",
        },
    )
    member = PartyMember.objects.get(name="孙转入")
    assert response.status_code == 302 and member.arrived_on == date(2005, 3, 1)
    response = client.post(
        reverse("org:member_flow", args=[member.pk]),
        {"left_on": "2005-06-01", "location": "广东省东莞市", "contact": "13800000001", "inflow_organisation": ""},
    )
    assert response.status_code == 302
    assert FlowRecord.objects.get(member=member).away_on(date(2005, 7, 1))
    response = client.post(  # the return, on the same record
        reverse("org:member_flow", args=[member.pk]),
        {"left_on": "2005-06-01", "location": "广东省东莞市", "contact": "13800000001", "returned_on": "2005-05-01"},
    )
    assert response.status_code == 200  # back before leaving: refused, nothing changed
    assert FlowRecord.objects.get(member=member).returned_on is None
