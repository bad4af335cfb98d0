"""An inspector records an inspection with a rectification item, the community's secretary
reports it fixed with a photo, the inspector closes it, and the site's progress bar moves."""

import io

import pytest
from PIL import Image

from showcase import services
from tests.e2e.conftest import assert_accessible, login
from tests.showcase.factories import check_of, make_programme, make_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """A transactional test flushes the tables after it, the role groups of the data migration too."""
    from django.contrib.auth.models import Group

    from jiedao.permissions import ROLE_GROUPS

    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def progress_of(page, community: str) -> str:
    return page.get_by_role("progressbar", name=f"进度 {community}").get_attribute("aria-valuenow")


def test_rectification_journey_moves_the_progress_bar(
    browser, live_server, page, staff, inspector, secretary_a, community_a, tmp_path
):
    programme = make_programme(staff)  # A 50 points, B 30, C 20
    site = make_site(staff, programme, community_a, theme="农家乐旅游")
    services.check_record(actor=inspector, check=check_of(site, "B"), met=True)
    photo = tmp_path / "fixed.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#2e7d32").save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    # the inspector records the weekly meeting and opens an item on standard A
    login(page, inspector)
    page.get_by_role("link", name="示范点创建").first.click()
    page.get_by_role("link", name="争创区级党建示范点").click()
    assert progress_of(page, "秀水社区") == "30"
    page.get_by_role("link", name="记录督查").click()
    page.select_option("select[name=kind]", "weekly")
    page.fill("input[name=date]", "2005-05-09")
    page.fill("input[name=participants]", "督查指导组全体成员")
    page.get_by_label("秀水社区").check()
    page.fill("textarea[name=minutes]", "通报创建进度。")
    page.get_by_role("button", name="保存").click()
    assert "督查已记录" in page.content()
    page.get_by_role("link", name="提出整改事项").click()
    page.select_option("select[name=site]", label=str(site))
    page.select_option("select[name=standard]", label="A 标准A")
    page.fill("textarea[name=description]", "活动室制度未上墙")
    page.fill("input[name=deadline]", "2099-06-30")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_test_id("rectification-status").inner_text() == "整改中"
    item_url = page.url

    # the secretary of 秀水 reports the fix with a photo
    secretary_page = new_page(browser, live_server)
    login(secretary_page, secretary_a)
    secretary_page.get_by_role("link", name="本社区示范点").click()
    secretary_page.get_by_test_id("site-table").get_by_role("link", name="秀水社区").click()
    secretary_page.get_by_role("link", name="活动室制度未上墙").click()
    secretary_page.get_by_role("link", name="报告整改情况").click()
    secretary_page.fill("textarea[name=note]", "制度已全部上墙。")
    secretary_page.set_input_files("input[name=photo]", str(photo))
    secretary_page.get_by_role("button", name="报告整改情况").click()
    assert "整改情况已报告" in secretary_page.content()
    assert secretary_page.get_by_test_id("rectification-status").inner_text() == "已报整改"
    secretary_page.context.close()

    # the inspector verifies and closes it: standard A is met and the bar moves from 30 % to 80 %
    page.goto(item_url)
    assert page.get_by_role("img", name="整改后").is_visible()
    page.get_by_role("button", name="核实销号").click()
    assert page.get_by_test_id("rectification-status").inner_text() == "已销号"
    page.get_by_role("link", name="秀水社区").first.click()
    bar = page.get_by_role("progressbar").first
    assert bar.get_attribute("aria-valuenow") == "80"
    assert page.locator("tr[data-code=A]").get_by_text("已达标").is_visible()
    assert_accessible(page)


def test_public_showcase_on_a_phone_is_accessible_and_needs_no_login(phone_page, staff, inspector, community_a):
    programme = make_programme(staff)
    site = make_site(staff, programme, community_a, theme="农家乐旅游")
    services.check_record(actor=inspector, check=check_of(site, "A"), met=True)
    phone_page.goto("/shifan/")
    assert phone_page.get_by_role("heading", name="秀水社区").is_visible()
    assert "农家乐旅游" in phone_page.get_by_test_id("public-sites").inner_text()
    assert phone_page.get_by_role("progressbar", name="进度 秀水社区").get_attribute("aria-valuenow") == "50"
    assert_accessible(phone_page)
