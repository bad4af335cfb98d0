"""民主测评 on a phone: a representative enters a code, votes, and the code is spent; staff watch
the tally move on the session page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from assessment import services
from assessment.models import AppraisalCycle, BallotSession, OnlineTally
from jiedao.permissions import ROLE_GROUPS
from tests.communities.factories import CadreFactory
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """The role groups come from a data migration; an earlier transactional test's flush removes them."""
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)


@pytest.fixture
def session(staff, community_a):
    for name, post in [("张国华", "党委书记"), ("李秀英", "居委会主任")]:
        CadreFactory(community=community_a, name=name, post=post)
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    services.cycle_start(actor=staff, cycle=cycle)
    return services.session_save(
        actor=staff, session=BallotSession(cycle=cycle, community=community_a, expected_voters=30)
    )


def test_representative_votes_on_a_phone_and_staff_see_the_tally_move(phone_page, page, staff, session):
    [code, _other] = services.ballot_codes_issue(actor=staff, session=session, count=2)

    # staff open the session page before anyone has voted
    login(page, staff)
    page.goto(reverse("assessment:session_detail", args=[session.pk]))
    expect(page.get_by_test_id("online-ballots")).to_have_text("0")
    expect(page.get_by_test_id("present")).to_have_text("0")

    # the representative, on a phone
    phone = phone_page
    # the slip's QR code opens the voting page with the code after "#": it fills the field, and
    # leaves the address bar (the server never receives it)
    phone.goto(reverse("ceping:start") + f"#{code}")
    assert_accessible(phone)
    expect(phone.get_by_label("测评码")).to_have_value(code)
    assert phone.evaluate("window.location.hash") == ""
    phone.get_by_label("测评码").fill(services.format_code(code).lower())
    phone.get_by_role("button", name="打开测评票").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("秀水社区")
    assert_accessible(phone)
    cards = phone.get_by_test_id("ballot-cadre")
    expect(cards).to_have_count(2)
    # nothing sideways on a 390 px screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    cards.filter(has_text="张国华").get_by_text("满意", exact=True).click()
    phone.get_by_role("button", name="提交测评票").click()
    expect(phone.get_by_role("alert").first).to_contain_text("请对每位干部作出评价后再提交")  # 李秀英 not rated
    cards = phone.get_by_test_id("ballot-cadre")
    cards.filter(has_text="李秀英").get_by_text("基本满意", exact=True).click()
    phone.get_by_role("button", name="提交测评票").click()
    expect(phone.get_by_test_id("ceping-done")).to_contain_text("测评码已使用")
    assert sum(OnlineTally.objects.values_list("count", flat=True)) == 2  # one ballot, two cadres
    assert code not in phone.url

    # the same code again: spent
    phone.goto(reverse("ceping:start"))
    phone.get_by_label("测评码").fill(code)
    phone.get_by_role("button", name="打开测评票").click()
    expect(phone.get_by_test_id("ceping-error")).to_have_text("该测评码已使用。")
    assert_accessible(phone)

    # the staff page refreshes itself: one online ballot, one voter present, one code spent
    expect(page.get_by_test_id("online-ballots")).to_have_text("1", timeout=20000)
    expect(page.get_by_test_id("present")).to_have_text("1")
    expect(page.get_by_test_id("codes-spent")).to_have_text("2 / 1")
    # how the ballot rated each cadre stays hidden while online voting is open
    row = page.get_by_test_id("tally-table").get_by_role("row").filter(has_text="张国华")
    expect(row).to_contain_text("—")
    page.reload()
    spent = page.get_by_test_id("code-table").get_by_role("row").filter(has_text=code)
    expect(spent).to_contain_text("已使用")
    page.get_by_role("button", name="结束网上投票").click()
    row = page.get_by_test_id("tally-table").get_by_role("row").filter(has_text="张国华")
    expect(row).to_contain_text("100%")
    expect(page.get_by_test_id("tally-table").get_by_role("row").filter(has_text="李秀英")).to_contain_text("60.00")
