"""The action sets the communities pages ask (jiedao/permissions.py): who sees which button."""

import pytest
from django.urls import reverse

from communities.services import monthly_update_accept, monthly_update_return, monthly_update_submit
from jiedao.permissions import community_actions, community_list_flags, monthly_update_actions
from tests.communities.monthly_helpers import make_update

pytestmark = pytest.mark.django_db


def test_community_actions(personas, community_a):
    staff = community_actions(personas["staff"], community_a)
    assert staff.edit and staff.import_export and staff.read_members and staff.manage_members
    assert not staff.file_monthly
    own = community_actions(personas["secretary_a"], community_a)
    assert own.read_members and own.manage_members and own.file_monthly
    assert not (own.edit or own.import_export or own.reveal_identity)
    for name in ("inspector", "auditor", "secretary_b"):
        other = community_actions(personas[name], community_a)
        assert not (other.edit or other.read_members or other.manage_members or other.file_monthly), name
    assert community_list_flags(personas["staff"]).create
    assert not community_list_flags(personas["inspector"]).create


def test_monthly_update_actions_follow_the_workflow(personas, community_a):
    secretary, staff = personas["secretary_a"], personas["staff"]
    update = make_update(secretary, community_a)
    assert monthly_update_actions(secretary, update).file
    assert not monthly_update_actions(staff, update).review
    update = monthly_update_submit(actor=secretary, update=update, version=update.version)
    assert not monthly_update_actions(secretary, update).file
    assert monthly_update_actions(staff, update).review
    assert not monthly_update_actions(personas["inspector"], update).review
    update = monthly_update_return(actor=staff, update=update, version=update.version, comment="补充")
    assert monthly_update_actions(secretary, update).file and not monthly_update_actions(staff, update).review
    assert not monthly_update_actions(personas["secretary_b"], update).file
    update = monthly_update_submit(actor=secretary, update=update, version=update.version)
    update = monthly_update_accept(actor=staff, update=update, version=update.version)
    assert not monthly_update_actions(secretary, update).file and not monthly_update_actions(staff, update).review


def test_pages_show_only_the_allowed_buttons(client, personas, community_a):
    edit = reverse("communities:community_update", args=[community_a.pk])
    members = reverse("communities:partymember_list", args=[community_a.pk])
    client.force_login(personas["staff"])
    page = client.get(community_a.get_absolute_url()).content.decode()
    assert edit in page and members in page
    client.force_login(personas["inspector"])
    page = client.get(community_a.get_absolute_url()).content.decode()
    assert edit not in page and members not in page and reverse("communities:cadre_import") not in page
    client.force_login(personas["secretary_a"])
    page = client.get(community_a.get_absolute_url()).content.decode()
    assert edit not in page and members in page
    page = client.get(members).content.decode()
    assert reverse("communities:partymember_create", args=[community_a.pk]) in page
    assert reverse("communities:partymember_import") not in page
