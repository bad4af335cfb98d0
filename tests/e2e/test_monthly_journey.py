"""A month's report from draft to accepted: the secretary files and submits, staff return it with
a comment, the secretary reads the comment, fixes and resubmits, staff accept; the grid says 已通过."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, login
from tests.jiedao.report_helpers import ensure_role_groups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()  # an earlier transactional test may have flushed the migration's groups


def logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def open_overview_2005(page):
    page.get_by_role("link", name="月报总览").click()
    page.get_by_label("年度").select_option("2005")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()


def test_monthly_update_round_trip(page, secretary_a, staff, community_a, community_b):
    # the secretary files March 2005 and submits it
    login(page, secretary_a)
    page.get_by_role("link", name="本社区月报").click()
    page.get_by_role("link", name="填报月报").click()
    page.get_by_label("月份").fill("2005-03")
    page.get_by_label("本月重点工作").fill("推进土地流转，召开院坝会两次。")
    page.get_by_label("党员活动情况").fill("全体党员集中学习。")
    page.get_by_label("存在问题和困难").fill("活动场地不足。")
    page.get_by_label("下月工作计划").fill("召开党员大会。")
    page.get_by_label("参加人次").fill("40")
    page.get_by_label("支委会").fill("1")
    assert_accessible(page)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    assert "草稿已保存" in page.content()
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    assert "月报已提交" in page.content()
    assert "已提交" in page.get_by_test_id("update-status").inner_text()
    assert_accessible(page)
    logout(page)

    # staff find it in the grid and return it with a comment
    login(page, staff)
    open_overview_2005(page)
    assert_accessible(page)
    row = page.locator('tr[data-community="秀水社区"]')
    row.locator('td[data-month="3"] a').click()
    page.get_by_label("审核意见（退回时必填）").fill("请补充党员活动的时间、地点和参加人数。")
    page.get_by_role("button", name="退回修改").click()
    page.wait_for_load_state()
    assert "月报已退回社区书记修改" in page.content()
    logout(page)

    # the secretary sees the comment (and a notification), fixes and resubmits
    login(page, secretary_a)
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_role("link", name="本社区月报").click()  # opens on 2005, the latest year with an update
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("查看 2005年3月")).click()
    assert "请补充党员活动的时间、地点和参加人数。" in page.get_by_test_id("return-comment").inner_text()
    page.get_by_role("link", name="编辑").click()
    assert "请补充党员活动的时间" in page.get_by_test_id("return-comment").inner_text()
    page.get_by_label("党员活动情况").fill("3月12日在社区活动室集中学习，23名党员参加。")
    page.get_by_role("button", name="保存并提交").click()
    page.wait_for_load_state()
    assert "月报已提交" in page.content()
    logout(page)

    # staff accept; the grid shows 已通过
    login(page, staff)
    open_overview_2005(page)
    page.locator('tr[data-community="秀水社区"] td[data-month="3"] a').click()
    assert "23名党员参加" in page.content()
    page.get_by_role("button", name="通过").click()
    page.wait_for_load_state()
    assert "月报已审核通过" in page.content()
    assert_accessible(page)
    timeline = page.get_by_test_id("timeline").inner_text()
    assert timeline.count("提交") >= 2 and "退回修改" in timeline and "审核通过" in timeline
    open_overview_2005(page)
    cell = page.locator('tr[data-community="秀水社区"] td[data-month="3"]')
    assert cell.inner_text().strip() == "已通过迟报"  # filed today for 2005: long after its deadline
    assert "mu-accepted" in cell.get_attribute("class")


def test_secretary_files_a_draft_on_a_phone(phone_page, secretary_a, community_a):
    page = phone_page
    login(page, secretary_a)
    page.goto("/communities/monthly/new/?period=2005-04")
    assert page.get_by_label("月份").input_value() == "2005-04"
    page.get_by_label("本月重点工作").fill("手机上填报的重点工作。")
    page.get_by_label("主题党日").fill("2")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    assert "手机上填报的重点工作。" in page.get_by_test_id("key-work").inner_text()
    assert "草稿" in page.get_by_test_id("update-status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
