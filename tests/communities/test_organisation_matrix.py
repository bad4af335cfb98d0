"""Permission matrix of the organisation pages (namespace org): every URL as every persona, and the
党员 role: their own record only (another member's is 404), their own organisation's
party-internal notices and no one else's. The last test fails when a URL is missing here."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Person, Transfer
from communities.services.lifecycle import recruit_apply
from communities.services.transfers import transfer_out
from jiedao.permissions import Role
from tests.communities.factories import valid_id_number
from tests.communities.party_life import branch_of, member_of_branch
from tests.matrix import LOGIN, READERS, STAFF_ONLY, assert_matrix_covers, check_matrix, status_for

pytestmark = pytest.mark.django_db

READERS_ALL = {**READERS, "secretary_a": 200, "secretary_b": 200}
READERS_OF_A = {**READERS, "secretary_a": 200, "secretary_b": 404}
KEEPERS_OF_A = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
MEMBERS_ONLY = {**STAFF_ONLY, "staff": 403}


@pytest.fixture
def world(community_a, community_b, make_user, staff):
    branch = branch_of(community_a)
    other = branch_of(community_b)
    member_user = make_user("dangyuan_a", Role.MEMBER)
    outsider_user = make_user("dangyuan_b", Role.MEMBER)
    member = member_of_branch(branch, user=member_user, name="张党员")
    outsider = member_of_branch(other, user=outsider_user, name="李党员")
    leaving = member_of_branch(branch, name="王转出")
    transfer = transfer_out(actor=staff, member=leaving, effective_on=date(2005, 5, 1), counterpart="某街道党工委")
    recruit = recruit_apply(
        actor=staff,
        person=Person(
            community=community_a,
            name="赵申请",
            gender="male",
            birth_date=date(1980, 1, 1),
            id_number=valid_id_number(77, date(1980, 1, 1)),
        ),
        branch=branch,
        applied_on=date(2004, 3, 1),
    )
    return {
        "recruit": recruit,
        "community": community_a,
        "branch": branch,
        "root": branch.parent,
        "member": member,
        "outsider": outsider,
        "member_user": member_user,
        "outsider_user": outsider_user,
        "transfer": transfer,
    }


def url(name, *args):
    return reverse(f"org:{name}", args=args)


def cases(world):
    m, t = world["member"].pk, world["transfer"].pk
    return [
        ("tree", url("tree"), READERS_ALL),
        ("organisation_detail", url("organisation_detail", world["branch"].pk), READERS_OF_A),
        ("member_detail", url("member_detail", m), {**KEEPERS_OF_A, "inspector": 403, "auditor": 403}),
        ("member_oath", url("member_oath", m), KEEPERS_OF_A),
        ("member_decision", url("member_decision", m), KEEPERS_OF_A),
        ("member_transfer_out", url("member_transfer_out", m), KEEPERS_OF_A),
        ("member_account", url("member_account", m), KEEPERS_OF_A),
        ("transfer_letter", url("transfer_letter", t), KEEPERS_OF_A),
        ("transfer_receipt", url("transfer_receipt", t), KEEPERS_OF_A),
        ("me", url("me"), MEMBERS_ONLY),
        ("organisation_import", url("organisation_import"), STAFF_ONLY),
        ("recruit_list", url("recruit_list", world["community"].pk), KEEPERS_OF_A),
        ("recruit_create", url("recruit_create", world["community"].pk), KEEPERS_OF_A),
        ("recruit_step", url("recruit_step", world["recruit"].pk), KEEPERS_OF_A),
        ("transfer_in", url("transfer_in", world["community"].pk), KEEPERS_OF_A),
        ("organisation_create", url("organisation_create", world["branch"].pk), KEEPERS_OF_A),
        ("organisation_update", url("organisation_update", world["branch"].pk), KEEPERS_OF_A),
        ("post_create", url("post_create", world["branch"].pk), KEEPERS_OF_A),
        ("member_flow", url("member_flow", m), KEEPERS_OF_A),
        ("organisation_export", url("organisation_export") + "?format=csv", STAFF_ONLY),
        ("organisation_template", url("organisation_template") + "?format=csv", STAFF_ONLY),
    ]


def test_permission_matrix(personas, world):
    for _name, target, expected in cases(world):
        check_matrix(personas, target, expected)
    # the 党工委 is everyone's who reads the tree, and staff's to change
    check_matrix(personas, url("organisation_detail", world["root"].pk), READERS_ALL)
    check_matrix(personas, url("organisation_update", world["root"].pk), {**STAFF_ONLY})


def test_a_secretary_adds_a_group_and_a_post_through_the_pages(world, secretary_a):
    client = Client()
    client.force_login(secretary_a)
    branch = world["branch"]
    response = client.post(url("organisation_create", branch.pk), {"name": "第一党小组", "kind": "group"})
    assert response.status_code == 302
    group = branch.children.get()
    assert group.community_id == branch.community_id and group.is_group
    bad = client.post(url("organisation_create", branch.pk), {"name": "错误的党委", "kind": "committee"})
    assert bad.status_code == 200 and "不能设在" in bad.content.decode()  # a 党委 under a 支部
    person = Person.objects.create(community=branch.community, name="周书记")
    response = client.post(
        url("post_create", branch.pk), {"person": person.pk, "title": "secretary", "start_on": "2004-03-01"}
    )
    assert response.status_code == 302 and branch.posts.get().person == person


def test_a_member_sees_their_own_record_and_not_anothers(world):
    member_user = world["member_user"]
    assert status_for(member_user, url("me")) == 200
    assert status_for(member_user, url("member_detail", world["member"].pk)) == 200
    assert status_for(member_user, url("member_detail", world["outsider"].pk)) == 404
    for name in ("member_oath", "member_decision", "member_transfer_out", "member_account"):
        assert status_for(member_user, url(name, world["member"].pk)) in (403, 404)
    assert status_for(member_user, url("transfer_letter", world["transfer"].pk)) in (403, 404)
    page = Client()
    page.force_login(member_user)
    html = page.get(url("me")).content.decode()
    assert "张党员" in html and "李党员" not in html and "王转出" not in html
    assert world["member"].id_number not in html  # masked like everyone's
    assert world["member"].id_number_masked in html


def test_every_url_is_in_the_matrix(world):
    assert_matrix_covers("org", [name for name, _url, _expected in cases(world)] + ["my_notice"])


def test_letter_is_a_pdf(world, staff):
    client = Client()
    client.force_login(staff)
    response = client.get(url("transfer_letter", world["transfer"].pk))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Transfer.objects.get().number == "2005-001"


def test_anonymous_goes_to_login(world):
    assert status_for(None, url("me")) == LOGIN
