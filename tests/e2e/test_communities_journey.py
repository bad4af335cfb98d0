"""A secretary logs in, sees their community, and is refused another's."""

import pytest
from django.urls import reverse

from tests.communities.factories import PartyMemberFactory
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_secretary_sees_own_community_and_is_refused_another(page, secretary_a, community_a, community_b):
    PartyMemberFactory(community=community_a, name="张秀英", mobile="13812345678")
    PartyMemberFactory(community=community_b, name="李丛树")
    login(page, secretary_a)
    page.get_by_role("link", name="本社区", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("秀水社区")
    page.get_by_role("link", name="党员").first.click()
    table = page.get_by_test_id("member-table").inner_text()
    assert "张秀英" in table and "138****5678" in table and "13812345678" not in table

    response = page.goto(reverse("communities:partymember_list", args=[community_b.pk]))
    assert response.status == 404
    assert "页面不存在" in page.content() and "李丛树" not in page.content()


def test_home_page_is_accessible(page, community_a):
    page.goto("/")
    assert "秀水社区" in page.get_by_test_id("community-table").inner_text()
    assert_accessible(page)
