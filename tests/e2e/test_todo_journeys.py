"""我的待办 in the browser, one journey per role: sign in, land on the to-do list, open the item,
do the work, and find it gone from the list (and from the menu's count)."""

from datetime import date

import pytest

from communities.services import monthly_update_return, monthly_update_submit
from showcase import services as showcase_services
from showcase.models import Rectification
from tests.communities.monthly_helpers import make_update
from tests.e2e.conftest import assert_accessible, login
from tests.jiedao.report_helpers import ensure_role_groups
from tests.showcase.factories import make_programme, make_site, png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    ensure_role_groups()  # an earlier transactional test may have flushed the migration's groups


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submitted(secretary, community, period=date(2005, 3, 1)):
    update = make_update(secretary, community, period)
    return monthly_update_submit(actor=secretary, update=update, version=update.version)


def todo_rows(page) -> list[str]:
    return [row.inner_text() for row in page.get_by_test_id("todo-item").all()]


def test_staff_approve_a_submitted_update_from_their_todo_list(page, staff, secretary_a, community_a):
    submitted(secretary_a, community_a, date(2005, 3, 1))
    submitted(secretary_a, community_a, date(2005, 4, 1))
    login(page, staff)
    assert page.url.endswith("/todo/")
    assert page.title().startswith("我的待办 - ")
    assert page.get_by_test_id("todo-count").inner_text() == "2"
    rows = todo_rows(page)
    assert len(rows) == 2 and "2005年4月" in rows[0] and "2005年3月" in rows[1] and "待审核月报" in rows[0]
    assert_accessible(page)
    page.get_by_role("link", name="2005年3月").click()
    page.get_by_role("button", name="通过").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="我的待办").click()
    rows = todo_rows(page)
    assert len(rows) == 1 and "2005年4月" in rows[0]
    assert page.get_by_test_id("todo-count").inner_text() == "1"


def test_a_secretary_resubmits_a_returned_update_from_their_todo_list(page, staff, secretary_a, community_a):
    update = submitted(secretary_a, community_a)
    monthly_update_return(actor=staff, update=update, version=update.version, comment="补充活动照片")
    login(page, secretary_a)
    assert page.url.endswith("/todo/")
    returned = page.get_by_test_id("todo-item").filter(has_text="被退回的月报")
    assert "2005年3月" in returned.inner_text()
    assert_accessible(page)
    returned.get_by_role("link", name="2005年3月").click()
    page.get_by_role("button", name="保存并提交").click()
    page.wait_for_load_state()
    assert "月报已提交" in page.content()
    page.get_by_role("link", name="我的待办").click()
    assert not any("2005年3月" in row for row in todo_rows(page))


def test_an_inspector_verifies_a_reported_fix_from_their_todo_list(page, staff, inspector, secretary_a, community_a):
    site = make_site(staff, make_programme(staff), community_a)
    item = showcase_services.rectification_open(
        actor=inspector, rectification=Rectification(site=site, description="公开栏未更新", deadline=date(2099, 1, 1))
    )
    showcase_services.rectification_report(actor=secretary_a, rectification=item, note="已更新", photo=png())
    login(page, inspector)
    assert page.url.endswith("/todo/")
    assert ["待验收的整改" in row and "秀水社区" in row for row in todo_rows(page)] == [True]
    page.get_by_role("link", name="公开栏未更新").click()
    page.get_by_role("button", name="核实销号").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="我的待办").click()
    assert todo_rows(page) == []
    assert "目前没有等您处理的工作" in page.get_by_test_id("todo-empty").inner_text()
    assert page.get_by_test_id("todo-count").count() == 0


def test_an_auditor_lands_on_a_todo_list_that_says_nothing_waits(page, auditor):
    login(page, auditor)
    assert page.url.endswith("/todo/")
    text = page.get_by_test_id("todo-empty").inner_text()
    assert "目前没有等您处理的工作。" in text and "上方菜单" in text
    assert "审计员" in page.get_by_test_id("todo-summary").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="操作日志").click()  # the menu leads on
    assert "/subdistrict/audit/" in page.url
