"""A secretary drafts a 居务 notice, the community's 居务监督委员会 checks it on a phone (the 街道
cannot approve it in its place), the community publishes it, a resident reads it on a phone and
asks a question, the community answers, and the answer shows publicly. Every public page passes
axe-core."""

import pytest
from django.urls import reverse

from disclosure.models import Feedback, Notice
from tests.disclosure.factories import finance_item, residents_item
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    from tests.jiedao.report_helpers import ensure_role_groups

    ensure_role_groups()  # a transactional test before this one may have flushed the migrations' groups


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def click(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_draft_check_publish_read_ask_answer(
    browser, live_server, page, phone_page, secretary_a, supervisor_a, staff, community_a, community_b
):
    from django.core.cache import cache

    cache.clear()  # the question rate limit counts per address in the shared cache
    item = residents_item()
    # -- the secretary drafts on their own board (the only board offered) and submits
    login(page, secretary_a)
    page.get_by_role("link", name="公开事项").first.click()
    page.get_by_role("link", name="新建公开事项").click()
    assert page.locator("#id_board option").all_inner_texts() == ["秀水社区"]
    finance = finance_item()
    page.reload()
    page.select_option("#id_catalog_item", str(finance.pk))
    assert page.locator("#id_opening_balance").is_visible()  # a financial item declares its totals
    page.select_option("#id_catalog_item", str(item.pk))
    assert page.locator("#id_opening_balance").is_hidden()
    page.fill("#id_title", "2005年第三季度最低生活保障对象公示")
    page.fill(
        "#id_body",
        "<p>本季度低保对象共 12 户 31 人。</p><table><tr><th>户主</th><th>人数</th></tr>"
        "<tr><td>王秀英</td><td>3</td></tr></table><script>alert(1)</script>",
    )
    page.fill("#id_period_start", "2005-08-15")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    assert "草稿已保存" in page.content()
    notice = Notice.objects.get()
    assert (notice.period_start.isoformat(), notice.period_end.isoformat()) == ("2005-07-01", "2005-09-30")
    click(page, "提交审核")
    assert page.get_by_test_id("notice-status").inner_text() == "待居务监督委员会审核"

    # -- the 街道 monitors but cannot approve a community's 居务 notice in the committee's place
    staff_page = new_page(browser, live_server)
    login(staff_page, staff)
    staff_page.goto(reverse("disclosure:notice_detail", args=[notice.pk]))
    actions = staff_page.get_by_test_id("notice-actions")
    assert actions.get_by_role("button", name="保密审核通过").count() == 0
    assert actions.get_by_role("button", name="审批通过").count() == 0
    assert actions.get_by_role("button", name="发布").count() == 0

    # -- a member of the community's 居务监督委员会 checks it on a phone
    supervisor_page = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    supervisor_page.set_default_timeout(15000)
    login(supervisor_page, supervisor_a)
    supervisor_page.goto(reverse("disclosure:supervision_queue"))
    supervisor_page.get_by_role("link", name="2005年第三季度最低生活保障对象公示").click()
    supervisor_page.wait_for_load_state()
    click(supervisor_page, "审核通过，由社区发布")
    assert Notice.objects.get().is_approved

    # -- the community publishes it
    page.goto(reverse("disclosure:notice_detail", args=[notice.pk]))
    click(page, "发布")
    assert page.get_by_test_id("notice-status").inner_text() == "已发布"
    steps = page.get_by_test_id("steps").inner_text()
    assert steps.index("提出") < steps.index("居务监督委员会审核通过") < steps.index("发布")

    # -- a resident on a phone reads it from the list of boards and asks a question
    phone = phone_page
    phone.goto(reverse("gongkai:board_index"))
    assert_accessible(phone)
    phone.get_by_role("link", name="秀水社区公开栏").click()
    phone.wait_for_load_state()
    assert_accessible(phone)
    phone.get_by_role("link", name="2005年第三季度最低生活保障对象公示").click()
    phone.wait_for_load_state()
    body = phone.get_by_test_id("notice-body")
    assert "12 户 31 人" in body.inner_text() and body.locator("table").count() == 1
    assert phone.locator("script:has-text('alert(1)')").count() == 0
    assert_accessible(phone)
    phone.get_by_test_id("open-question-form").click()  # the form is fetched when opened (cacheable page)
    phone.wait_for_selector("#id_body")
    phone.fill("#id_body", "低保标准是每月多少元？")
    phone.fill("#id_contact", "13812345678")
    click(phone, "提交")
    assert "经审核后将在此显示" in phone.content()
    assert "低保标准是每月多少元" not in phone.get_by_role("region", name="群众留言与答复").inner_text()

    # -- the community answers its own resident; the question and answer appear, the contact never does
    page.goto(reverse("disclosure:feedback_list"))
    assert "13812345678" in page.content()  # the community sees the contact
    page.get_by_role("link", name="答复").first.click()
    page.fill("#id_answer", "本市2005年低保标准为每人每月195元。")
    click(page, "发布答复")
    assert Feedback.objects.get().answered_by == secretary_a

    phone.reload()
    answer = phone.get_by_test_id("public-answer").inner_text()
    assert "每人每月195元" in answer
    assert "低保标准是每月多少元" in phone.get_by_test_id("public-question").inner_text()
    assert "13812345678" not in phone.content()
    assert_accessible(phone)

    # -- the search page and the print view are accessible too
    phone.goto(reverse("gongkai:search") + "?q=低保")
    assert "最低生活保障对象公示" in phone.get_by_test_id("search-results").inner_text()
    assert_accessible(phone)
    phone.goto(reverse("gongkai:notice_print", args=[notice.board.slug, notice.pk]))
    assert phone.get_by_test_id("qr").locator("svg").count() == 1
    assert_accessible(phone)
    phone.goto(reverse("gongkai:board", args=[community_b.disclosure_board.slug]))  # an empty board
    assert "暂无已发布的公开事项" in phone.content()
    assert_accessible(phone)
