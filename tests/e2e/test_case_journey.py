"""On a phone (390×844) a resident files a 诉求, gets a case number and a query code; staff answer
and close it; the resident looks it up with the code, reads the answer and rates it. The public
pages pass axe-core, and the contact never shows on them."""

import re

import pytest
from django.core.cache import cache

from disclosure.models import Case
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    from tests.jiedao.report_helpers import ensure_role_groups

    ensure_role_groups()  # a transactional test before this one may have flushed the migrations' groups


def test_file_answer_look_up_and_rate(phone_page, page, staff, community_a, community_b):
    cache.clear()  # the filing limit counts per address in the shared cache
    phone = phone_page
    phone.goto("/gongkai/suqiu/")
    assert_accessible(phone)
    phone.select_option("#id_community", str(community_a.pk))
    phone.select_option("#id_category", "environment")
    phone.fill("#id_body", "三组路灯坏了一个月，晚上出行不便。")
    phone.fill("#id_contact", "13812345678")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    number = phone.get_by_test_id("case-number").inner_text()
    code = phone.get_by_test_id("case-code").inner_text()
    assert re.fullmatch(r"\d{4}-\d{4}", number) and re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert_accessible(phone)
    assert "13812345678" not in phone.content()
    case = Case.objects.get(number=number)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390

    # -- staff answer and close it
    login(page, staff)
    page.goto("/disclosure/cases/")
    assert "138****5678" in page.content() and "13812345678" not in page.content()  # masked in the list
    page.get_by_role("link", name=number).click()
    page.fill("#id_reply", "已通知供电所，路灯于本周内修复。")
    page.get_by_role("button", name="保存答复").click()
    page.wait_for_load_state()
    page.get_by_test_id("case-close").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.is_closed

    # -- the resident looks it up with the code and rates the answer
    phone.goto("/gongkai/suqiu/chaxun/")
    phone.fill("#id_code", code.lower().replace("-", " "))  # typed loosely
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("case-reply").inner_text().endswith("已通知供电所，路灯于本周内修复。")
    assert "13812345678" not in phone.content() and staff.username not in phone.content()
    assert_accessible(phone)
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="评价答复").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("case-rating").inner_text() == "满意"
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"
    assert code.replace("-", "") not in phone.url  # the code never travels in an address
