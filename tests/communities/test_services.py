"""The roster and indicator services: who may write, and that bad data is refused in Chinese."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from communities.models import Cadre, CommunityYear, PartyMember
from communities.services import cadre_delete, cadre_save, community_year_save, party_member_delete, party_member_save
from tests.communities.factories import CadreFactory, PartyMemberFactory, valid_id_number

pytestmark = pytest.mark.django_db


def new_member(community, **extra) -> PartyMember:
    fields = {
        "community": community,
        "name": "张三",
        "gender": "male",
        "birth_date": date(1970, 1, 1),
        "id_number": valid_id_number(1),
        "mobile": "13812345678",
        "joined_on": date(1995, 7, 1),
    }
    return PartyMember(**{**fields, **extra})


def test_staff_save_a_member_of_any_community(staff, community_b):
    member = party_member_save(actor=staff, member=new_member(community_b))
    assert PartyMember.objects.get(pk=member.pk).community == community_b


def test_a_secretary_keeps_their_own_roster_only(secretary_a, community_a, community_b):
    party_member_save(actor=secretary_a, member=new_member(community_a))
    with pytest.raises(Http404):
        party_member_save(actor=secretary_a, member=new_member(community_b, id_number=valid_id_number(2)))
    other = PartyMemberFactory(community=community_b)
    with pytest.raises(Http404):
        party_member_delete(actor=secretary_a, member=other)
    assert PartyMember.objects.filter(community=community_b).count() == 1


def test_an_inspector_may_read_but_not_change_rosters(inspector, community_a):
    with pytest.raises(PermissionDenied):
        party_member_save(actor=inspector, member=new_member(community_a))
    with pytest.raises(PermissionDenied):
        cadre_save(
            actor=inspector, cadre=Cadre(community=community_a, name="李四", post="主任", term_start=date(2004, 3, 1))
        )


def test_bad_id_and_mobile_are_refused_in_chinese(staff, community_a):
    bad = valid_id_number(3)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        party_member_save(actor=staff, member=new_member(community_a, id_number=bad, mobile="1234"))
    assert caught.value.message_dict["id_number"] == ["身份证号校验位错误。"]
    assert caught.value.message_dict["mobile"] == ["手机号应为以13至19开头的11位数字。"]
    assert not PartyMember.objects.exists()


def test_cadres_are_kept_by_staff_and_terms_must_end_after_they_start(staff, secretary_a, community_a):
    cadre = cadre_save(
        actor=staff, cadre=Cadre(community=community_a, name="李四", post="主任", term_start=date(2004, 3, 1))
    )
    with pytest.raises(PermissionDenied):
        cadre_delete(actor=secretary_a, cadre=cadre)
    cadre.term_end = date(2003, 1, 1)
    with pytest.raises(ValidationError):
        cadre_save(actor=staff, cadre=cadre)
    cadre_delete(actor=staff, cadre=CadreFactory(community=community_a))
    assert Cadre.objects.count() == 1


def test_community_years_are_staff_only_once_a_year_and_never_negative(staff, secretary_a, community_a):
    def record(**extra):
        values = {"year": 2005, "collective_income": "1.00", "per_capita_income": "5000", "party_member_count": 3}
        return CommunityYear(community=community_a, **{**values, **extra})

    with pytest.raises(PermissionDenied):
        community_year_save(actor=secretary_a, record=record())
    community_year_save(actor=staff, record=record())
    with pytest.raises(ValidationError) as caught:
        community_year_save(actor=staff, record=record())
    assert "已经存在" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        community_year_save(actor=staff, record=record(year=2006, collective_income="-1"))
    assert "大于或等于0" in caught.value.message_dict["collective_income"][0]
    assert CommunityYear.objects.count() == 1
