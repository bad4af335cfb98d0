"""Pages that add and edit cadres, party members and community-year indicators."""

from datetime import date

import pytest
from django.urls import reverse

from communities.models import Cadre, CommunityYear, PartyMember
from tests.communities.factories import CadreFactory, CommunityYearFactory, PartyMemberFactory, valid_id_number

pytestmark = pytest.mark.django_db


def test_staff_add_a_cadre(client, staff, community_a):
    client.force_login(staff)
    response = client.post(
        reverse("communities:cadre_create", args=[community_a.pk]),
        {"name": "李四", "post": "党委书记", "committee": "both", "term_start": "2004-03-01", "education": "college"},
    )
    assert response.status_code == 302
    cadre = Cadre.objects.get()
    assert (cadre.community, cadre.name) == (community_a, "李四")


def test_a_bad_cadre_form_keeps_what_was_typed(client, staff, community_a):
    client.force_login(staff)
    response = client.post(
        reverse("communities:cadre_create", args=[community_a.pk]),
        {"name": "李四", "post": "党委书记", "committee": "both", "term_start": "2004-03-01", "term_end": "2003-01-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="李四"' in page and not Cadre.objects.exists()


def test_a_repeated_year_is_shown_on_the_form(client, staff, community_a):
    CommunityYearFactory(community=community_a, year=2005)
    client.force_login(staff)
    response = client.post(
        reverse("communities:community_year_create", args=[community_a.pk]),
        {"year": "2005", "collective_income": "1", "per_capita_income": "1", "party_member_count": "1"},
    )
    assert response.status_code == 200
    assert "已经存在" in response.content.decode()
    assert CommunityYear.objects.count() == 1


def test_secretary_adds_a_member_to_their_own_roster(client, secretary_a, community_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("communities:partymember_create", args=[community_a.pk]),
        {
            "name": "王五",
            "gender": "female",
            "birth_date": "1980-05-01",
            "id_number": valid_id_number(9, birth=date(1980, 5, 1)),
            "mobile": "13912345678",
            "joined_on": "2001-07-01",
        },
    )
    assert response.status_code == 302
    assert PartyMember.objects.get().community == community_a


def test_editing_without_reveal_shows_masked_numbers_and_keeps_them(client, secretary_a, community_a):
    member = PartyMemberFactory(community=community_a, mobile="13812345678")
    url = reverse("communities:partymember_update", args=[member.pk])
    client.force_login(secretary_a)
    page = client.get(url).content.decode()
    assert member.id_number not in page and "13812345678" not in page
    assert member.id_number_masked in page and "138****5678" in page
    response = client.post(
        url,
        {
            "name": "新名字",
            "gender": "male",
            "birth_date": "1970-01-01",
            "id_number": "",
            "mobile": "",
            "joined_on": "1995-07-01",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.mobile) == ("新名字", "13812345678")
    assert member.id_number == PartyMember.objects.get().id_number and len(member.id_number) == 18


def test_edit_pages_offer_delete_to_those_who_may(client, staff, secretary_a, community_a):
    cadre = CadreFactory(community=community_a)
    member = PartyMemberFactory(community=community_a)
    client.force_login(staff)
    page = client.get(reverse("communities:cadre_update", args=[cadre.pk])).content.decode()
    assert reverse("communities:cadre_delete", args=[cadre.pk]) in page
    client.force_login(secretary_a)
    page = client.get(reverse("communities:partymember_update", args=[member.pk])).content.decode()
    assert reverse("communities:partymember_delete", args=[member.pk]) in page


def test_the_masked_edit_form_has_no_birth_date_and_ignores_one_posted(client, secretary_a, community_a):
    member = PartyMemberFactory(community=community_a, birth_date=date(1975, 3, 9))
    member.id_number = valid_id_number(7, birth=date(1975, 3, 9))
    member.save()
    url = reverse("communities:partymember_update", args=[member.pk])
    client.force_login(secretary_a)
    page = client.get(url).content.decode()
    assert 'name="birth_date"' not in page and "1975-03-09" not in page and "19750309" not in page
    assert member.id_number[:14] not in page and "*" * 14 + member.id_number[-4:] in page
    form = {"name": member.name, "gender": "male", "id_number": "", "mobile": "", "joined_on": "1995-07-01"}
    response = client.post(url, {**form, "birth_date": "1960-01-01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.birth_date == date(1975, 3, 9)  # a posted birth date is not a field of this form


def test_a_new_id_entered_without_reveal_sets_the_birth_date(client, secretary_a, community_a):
    member = PartyMemberFactory(community=community_a, birth_date=date(1970, 1, 1))
    new_id = valid_id_number(8, birth=date(1982, 11, 30))
    client.force_login(secretary_a)
    response = client.post(
        reverse("communities:partymember_update", args=[member.pk]),
        {
            "name": member.name,
            "gender": "male",
            "id_number": new_id,
            "mobile": "",
            "joined_on": "2001-07-01",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.birth_date) == (new_id, date(1982, 11, 30))
