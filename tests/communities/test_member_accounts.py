"""党员 accounts (issue 14 item 7): opened by the secretary for a member on the roll; the account
reads its own record and the party-internal notices published on its own community's board — no
one outside that organisation does."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from communities.selectors import member_of
from communities.selectors.membership import member_internal_notices
from communities.services.organisation import member_account_open
from communities.services.transfers import transfer_out
from jiedao.permissions import Role, can_member_read_notice, has_role
from tests.communities.party_life import branch_of, member_of_branch
from tests.disclosure.test_internal_notices import INTERNAL_TITLE, PUBLIC_TITLE, dues_item, publish_with_attachment
from tests.matrix import LOGIN, STAFF_ONLY, check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("staff2", Role.STAFF)


@pytest.fixture
def members(community_a, community_b, secretary_a, secretary_b):
    a = member_of_branch(branch_of(community_a), name="张党员")
    b = member_of_branch(branch_of(community_b), name="李党员")
    user_a, password = member_account_open(actor=secretary_a, member=a, username="zhang")
    user_b, _ = member_account_open(actor=secretary_b, member=b, username="li")
    return {"a": a, "b": b, "user_a": user_a, "user_b": user_b, "password": password}


def test_opening_an_account(members, secretary_a, secretary_b, community_a):
    user = members["user_a"]
    assert has_role(user, Role.MEMBER) and member_of(user) == members["a"]
    assert user.check_password(members["password"])  # the initial password, shown once to the secretary
    with pytest.raises(ValidationError):  # one account per member
        member_account_open(actor=secretary_a, member=members["a"], username="zhang2")
    with pytest.raises(Http404):  # another community's member
        member_account_open(
            actor=secretary_b, member=member_of_branch(branch_of(community_a, "另一支部")), username="x"
        )
    with pytest.raises(ValidationError):  # the name is taken
        member_account_open(actor=secretary_a, member=member_of_branch(members["a"].branch), username="ZHANG")


def test_no_account_for_a_member_who_left(secretary_a, community_a):
    member = member_of_branch(branch_of(community_a))
    transfer_out(actor=secretary_a, member=member, effective_on=date(2005, 1, 1), counterpart="某委")
    with pytest.raises(ValidationError):
        member_account_open(actor=secretary_a, member=member, username="gone")


@pytest.fixture
def notices(secretary_a, staff, approver, community_a):
    chain = {"author": secretary_a, "reviewer": staff, "approver": approver, "community": community_a}
    internal, _ = publish_with_attachment(**chain, item=dues_item(), title=INTERNAL_TITLE, body="<p>党费明细</p>")
    public, _ = publish_with_attachment(**chain, title=PUBLIC_TITLE, body="<p>低保名单</p>")
    return {"internal": internal, "public": public}


def test_internal_notices_are_read_by_their_organisations_members_only(personas, members, notices):
    internal = notices["internal"]
    url = reverse("org:my_notice", args=[internal.pk])
    own, outsider = Client(), Client()
    own.force_login(members["user_a"])
    outsider.force_login(members["user_b"])
    page = own.get(reverse("org:me")).content.decode()
    assert INTERNAL_TITLE in page and PUBLIC_TITLE not in page  # the public one is on the public board
    response = own.get(url)
    assert response.status_code == 200 and "党费明细" in response.content.decode()
    assert outsider.get(url).status_code == 404
    assert INTERNAL_TITLE not in outsider.get(reverse("org:me")).content.decode()
    assert can_member_read_notice(members["user_a"], internal)
    assert not can_member_read_notice(members["user_b"], internal)
    assert not member_internal_notices(members["user_b"]).exists()
    # nobody else reads it through this page: staff and secretaries in their own pages, the rest not at all
    check_matrix(personas, url, {**STAFF_ONLY, "staff": 403, "anonymous": LOGIN})


def test_a_member_who_left_reads_nothing_more(members, notices, secretary_a):
    transfer_out(actor=secretary_a, member=members["a"], effective_on=date(2005, 1, 1), counterpart="某委")
    # the account still signs in but the record is no longer on the roll: no notices of the branch
    client = Client()
    client.force_login(members["user_a"])
    assert client.get(reverse("org:my_notice", args=[notices["internal"].pk])).status_code == 404
