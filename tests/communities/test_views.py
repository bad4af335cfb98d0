import pytest
from django.urls import reverse

from tests.communities.factories import CommunityYearFactory, PartyMemberFactory

pytestmark = pytest.mark.django_db


def test_my_community_sends_a_secretary_to_their_own(client, secretary_a, community_a):
    client.force_login(secretary_a)
    response = client.get(reverse("communities:my_community"))
    assert response.url == reverse("communities:community_detail", args=[community_a.pk])


def test_secretary_sees_masked_numbers_of_own_members(client, secretary_a, community_a):
    member = PartyMemberFactory(community=community_a, id_number="51010819900101123X"[:17] + "X", mobile="13812345678")
    member.refresh_from_db()
    client.force_login(secretary_a)
    page = client.get(reverse("communities:partymember_list", args=[community_a.pk])).content.decode()
    assert member.name in page
    assert member.id_number_masked in page and member.id_number not in page
    assert "138****5678" in page and "13812345678" not in page


def test_list_filters_by_type_and_name(client, staff, community_a, community_b):
    community_b.kind = "urban"
    community_b.save()
    client.force_login(staff)
    page = client.get(reverse("communities:community_list"), {"kind": "urban"}).content.decode()
    assert "丛树社区" in page and "秀水社区" not in page
    page = client.get(reverse("communities:community_list"), {"name": "秀水"}).content.decode()
    assert "秀水社区" in page and "丛树社区" not in page


def test_detail_shows_year_on_year_change(client, staff, community_a):
    CommunityYearFactory(community=community_a, year=2004, collective_income="450.14")
    CommunityYearFactory(community=community_a, year=2005, collective_income="723.76")
    client.force_login(staff)
    page = client.get(community_a.get_absolute_url()).content.decode()
    assert "+60.8%" in page


def test_list_query_count_does_not_grow_with_rows(client, staff, django_assert_max_num_queries):
    from tests.communities.factories import CommunityFactory

    client.force_login(staff)
    CommunityFactory.create_batch(3)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("communities:community_list"))
    CommunityFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("communities:community_list"))
