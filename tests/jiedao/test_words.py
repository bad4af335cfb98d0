"""Words as users read them (finding 5): the roster button and import row say 党员, person-name
fields say 姓名 (organisations keep 名称), the inspection's people are 参加人员 (a monthly update's
count stays 参加人次), and a browser tab's title has a separator before the portal's name."""

import re

import pytest
from django.urls import reverse

from communities.models import Cadre, PartyMember
from showcase.models import Inspection
from tests.communities.factories import CadreFactory, PartyMemberFactory
from tests.showcase.factories import make_programme

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    html = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_roster_button_and_the_import_row_say_party_members_not_their_number(client, staff, community_a):
    client.force_login(staff)
    detail = client.get(reverse("communities:community_detail", args=[community_a.pk])).content.decode()
    roster = reverse("communities:partymember_list", args=[community_a.pk])
    assert re.search(rf'href="{roster}">\s*党员\s*</a>', detail)
    detail_text = text_of(client.get(reverse("communities:community_detail", args=[community_a.pk])))
    assert "党员人数" in detail_text  # the count itself
    listing = client.get(reverse("communities:community_list")).content.decode()
    assert '<th scope="row">党员</th>' in listing and '<th scope="row">党员人数</th>' not in listing


def test_person_names_are_xingming_and_organisation_names_stay_mingcheng(client, staff, secretary_a, community_a):
    CadreFactory(community=community_a)
    PartyMemberFactory(community=community_a)
    assert str(Cadre._meta.get_field("name").verbose_name) == "姓名"
    assert str(PartyMember._meta.get_field("name").verbose_name) == "姓名"
    assert str(community_a._meta.get_field("name").verbose_name) == "名称"
    client.force_login(staff)
    detail = text_of(client.get(reverse("communities:community_detail", args=[community_a.pk])))
    assert "姓名 职务" in detail
    assert "姓名" in text_of(client.get(reverse("communities:cadre_create", args=[community_a.pk])))
    client.force_login(secretary_a)
    members = text_of(client.get(reverse("communities:partymember_list", args=[community_a.pk])))
    assert "姓名 性别" in members
    form = client.get(reverse("communities:partymember_create", args=[community_a.pk])).content.decode()
    assert re.search(r"<label[^>]*for=\"id_name\"[^>]*>\s*姓名", form)


def test_the_inspection_form_asks_for_the_people_who_took_part(client, staff, inspector):
    programme = make_programme(staff)
    assert str(Inspection._meta.get_field("participants").verbose_name) == "参加人员"
    client.force_login(inspector)
    form = client.get(reverse("showcase:inspection_create", args=[programme.pk])).content.decode()
    assert re.search(r"<label[^>]*for=\"id_participants\"[^>]*>\s*参加人员", form)
    assert "参加人次" not in form


def test_a_monthly_update_still_counts_participants(client, secretary_a):
    client.force_login(secretary_a)
    form = client.get(reverse("communities:monthly_update_create")).content.decode()
    assert re.search(r"<label[^>]*for=\"id_participant_count\"[^>]*>\s*参加人次", form)


def test_tab_titles_have_a_separator_before_the_portals_name(client, staff, settings):
    client.force_login(staff)
    page = client.get(reverse("showcase:programme_list")).content.decode()
    assert re.search(rf"<title>示范点创建 - {settings.SUBDISTRICT_NAME}党建工作平台</title>", page)
    home = client.get(reverse("home")).content.decode()
    assert re.search(rf"<title>{settings.SUBDISTRICT_NAME}党建工作平台</title>", home)  # no leading dash
