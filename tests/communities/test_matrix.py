"""The communities app's permission matrix: every URL (namespace communities) as every persona.
The last test fails when a URL of the app is missing here."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse

from communities.choices import MonthlyStatus
from communities.models import Cadre, MonthlyUpdate, PartyMember
from communities.services import monthly_update_save, monthly_update_submit
from tests.communities.factories import CadreFactory, CommunityYearFactory, PartyMemberFactory
from tests.communities.monthly_helpers import CONTENT, form_data, make_update, picture
from tests.matrix import (
    PERSONAS,
    READERS,
    SECRETARIES,
    STAFF_ONLY,
    assert_matrix_covers,
    check_matrix,
    status_for,
)

pytestmark = pytest.mark.django_db

READERS_OF_A = {**READERS, "secretary_a": 200, "secretary_b": 404}
STAFF_AND_OWN_SECRETARY = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
SECRETARY_A_ONLY = {**STAFF_ONLY, "staff": 403, "secretary_a": 200, "secretary_b": 404}
ROSTERS = ("community", "community_year", "cadre", "partymember")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(community_a, secretary_a):
    update = make_update(secretary_a, community_a)
    draft = monthly_update_save(actor=secretary_a, update=update, data={}, version=1, photos=[picture()])
    return {
        "community": community_a,
        "cadre": CadreFactory(community=community_a),
        "member": PartyMemberFactory(community=community_a),
        "record": CommunityYearFactory(community=community_a),
        "draft": draft,
        "photo": draft.photos.get(),
    }


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def get_cases(world):
    community, draft = world["community"], world["draft"]
    sent_on = {**STAFF_ONLY, "staff": 403, "secretary_a": 302, "secretary_b": 302}  # to their own community
    cases = [
        (url("community_list"), READERS),
        (url("my_community"), sent_on),
        (url("community_create"), STAFF_ONLY),
        (url("community_update", community.pk), STAFF_ONLY),
        (url("community_detail", community.pk), READERS_OF_A),
        (url("partymember_list", community.pk), STAFF_AND_OWN_SECRETARY),
        (url("cadre_create", community.pk), STAFF_ONLY),
        (url("cadre_update", world["cadre"].pk), STAFF_ONLY),
        (url("community_year_create", community.pk), STAFF_ONLY),
        (url("community_year_update", world["record"].pk), STAFF_ONLY),
        (url("partymember_create", community.pk), STAFF_AND_OWN_SECRETARY),
        (url("partymember_update", world["member"].pk), STAFF_AND_OWN_SECRETARY),
        (url("monthly_update_detail", draft.pk), READERS_OF_A),
        (url("monthly_update_photo", draft.pk, world["photo"].pk), READERS_OF_A),
        (url("monthly_update_update", draft.pk), SECRETARY_A_ONLY),
        (url("monthly_update_overview"), STAFF_ONLY),
        (url("monthly_update_export"), STAFF_ONLY),
        (url("monthly_update_mine"), SECRETARIES),
        (url("monthly_update_create"), SECRETARIES),
    ]
    cases += [(url(f"{base}_{action}"), STAFF_ONLY) for base in ROSTERS for action in ("import", "export", "template")]
    return cases


def delete_urls(cadre, member):
    return url("cadre_delete", cadre.pk), url("partymember_delete", member.pk)


def monthly_write_urls(update, photo):
    """The secretary's POSTs on one update: edit, submit, remove a photo."""
    return (
        url("monthly_update_update", update.pk),
        url("monthly_update_submit", update.pk),
        url("monthly_update_photo_delete", update.pk, photo.pk),
    )


def review_urls(update):
    return url("monthly_update_return", update.pk), url("monthly_update_accept", update.pk)


def test_permission_matrix_over_every_get_url(personas, world):
    for target, expected in get_cases(world):
        check_matrix(personas, target, expected)


def test_only_staff_may_post_an_import(personas):
    for base in ROSTERS:
        expected = {**STAFF_ONLY, "staff": 400}  # staff get the form back: no file was sent
        check_matrix(personas, url(f"{base}_import"), expected, method="post")


def test_delete_matrix(personas, community_a):
    """Each persona tries to delete a cadre and a member of community A; only staff (both) and
    A's secretary (the member) succeed — a success is a redirect back to the page."""
    cadre_expected = {**STAFF_ONLY, "staff": 302}
    member_expected = {**STAFF_AND_OWN_SECRETARY, "staff": 302, "secretary_a": 302}
    for name in PERSONAS:
        cadre_url, member_url = delete_urls(
            CadreFactory(community=community_a), PartyMemberFactory(community=community_a)
        )
        assert status_for(personas[name], cadre_url, "post") == cadre_expected[name], name
        assert status_for(personas[name], member_url, "post") == member_expected[name], name
    assert Cadre.objects.count() == len(PERSONAS) - 1
    assert PartyMember.objects.count() == len(PERSONAS) - 2


def test_monthly_write_actions_matrix(personas, world):
    """Every POST by everyone but secretary A changes nothing; A's submit works."""
    draft = world["draft"]
    edit, submit, delete = monthly_write_urls(draft, world["photo"])
    data = form_data(draft, key_work="别人的修改")
    outsiders = {"anonymous": 302, "resident": 403, "secretary_b": 404, "staff": 403, "inspector": 403, "auditor": 403}
    for name, status in outsiders.items():
        client = Client()
        if personas[name]:
            client.force_login(personas[name])
        assert client.post(edit, data).status_code == status, name
        assert client.post(submit, {"version": draft.version}).status_code == status, name
        assert client.post(delete).status_code == status, name
    draft.refresh_from_db()
    assert draft.key_work == CONTENT["key_work"] and draft.status == MonthlyStatus.DRAFT and draft.photos.count() == 1

    submitted = {**SECRETARY_A_ONLY, "secretary_a": 302}
    check_matrix(personas, submit, submitted, method="post", data={"version": draft.version})
    assert MonthlyUpdate.objects.get(pk=draft.pk).status == MonthlyStatus.SUBMITTED


def test_monthly_review_actions_matrix(personas, world, secretary_a):
    draft = world["draft"]
    sent = monthly_update_submit(actor=secretary_a, update=draft, version=draft.version)
    reviewers = {**STAFF_ONLY, "staff": 302}
    to_return, _accept = review_urls(sent)
    check_matrix(personas, to_return, reviewers, method="post", data={"version": sent.version, "comment": "请补充"})
    returned = MonthlyUpdate.objects.get(pk=sent.pk)
    assert returned.status == MonthlyStatus.RETURNED
    again = monthly_update_submit(actor=secretary_a, update=returned, version=returned.version)
    _return, to_accept = review_urls(again)
    check_matrix(personas, to_accept, reviewers, method="post", data={"version": again.version})
    assert MonthlyUpdate.objects.get(pk=sent.pk).status == MonthlyStatus.ACCEPTED


def test_monthly_create_post_matrix(personas, community_a, community_b):
    check_matrix(
        personas,
        url("monthly_update_create"),
        {**SECRETARIES, "secretary_a": 302, "secretary_b": 302},
        method="post",
        data={**form_data(), "month": "2005-05"},
    )
    created = dict(MonthlyUpdate.objects.values_list("community__name", "created_by__username"))
    assert created == {"秀水社区": "sec_a", "丛树社区": "sec_b"}  # each for their own community


def test_every_communities_url_is_in_the_matrix(world):
    targets = [target for target, _expected in get_cases(world)]
    targets += [url(f"{base}_import") for base in ROSTERS]
    targets += [*delete_urls(world["cadre"], world["member"])]
    targets += [*monthly_write_urls(world["draft"], world["photo"]), *review_urls(world["draft"])]
    targets += [url("monthly_update_create")]
    assert_matrix_covers("communities", {resolve(urlsplit(target).path).url_name for target in targets})
