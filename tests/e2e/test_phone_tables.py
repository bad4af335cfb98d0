"""Issue 13 finding 11: on a 390-px phone the member roster and the secretary's notice list fit the
screen (no horizontal overflow) and read as stacked cards, names and titles on whole lines."""

import pytest
from django.urls import reverse

from tests.communities.factories import PartyMemberFactory
from tests.disclosure.factories import draft
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
WIDEST_TABLE = "() => Math.max(0, ...Array.from(document.querySelectorAll('main table')).map(t => t.scrollWidth))"


def _assert_fits(page):
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(WIDEST_TABLE) <= 390


def test_member_roster_fits_a_phone(phone_page, secretary_a, community_a):
    for n in range(3):
        PartyMemberFactory(community=community_a, name=f"欧阳秀英{n}")
    login(phone_page, secretary_a)
    phone_page.goto(reverse("communities:partymember_list", args=[community_a.pk]))
    _assert_fits(phone_page)
    row = phone_page.get_by_test_id("member-table").locator("tbody tr").first
    joined = row.locator("td", has_text="1995年7月")  # on the card with its label, not cut off
    assert "入党" in joined.get_attribute("data-label")
    box = joined.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    name_cell = row.locator("td").first
    assert name_cell.bounding_box()["width"] > 300


def test_secretary_notice_list_fits_a_phone(phone_page, secretary_a, community_a):
    for n in range(3):
        draft(author=secretary_a, community=community_a, title=f"秀水社区2005年第{n + 1}季度最低生活保障对象名单公示")
    login(phone_page, secretary_a)
    phone_page.goto(reverse("disclosure:notice_list"))
    _assert_fits(phone_page)
    title = phone_page.get_by_role("link", name="秀水社区2005年第1季度最低生活保障对象名单公示")
    box = title.bounding_box()
    assert box["width"] > 200  # a title on whole lines, not one character per line
