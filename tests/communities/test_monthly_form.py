"""'保存并提交' on a monthly update (finding 12): a failed submit creates nothing and saves nothing,
its errors stand beside the four texts, which carry '*' with a note that drafts may leave them empty."""

import re
from datetime import date

import pytest
from django.urls import reverse

from communities.choices import MonthlyStatus
from communities.models import MonthlyUpdate
from tests.communities.monthly_helpers import form_data, make_update

pytestmark = pytest.mark.django_db

NARRATIVE = ("key_work", "member_activities", "problems", "next_plan")


def field_error(html: str, name: str) -> str | None:
    """The error crispy shows under field `name`, if any."""
    match = re.search(rf'id="error_\d+_id_{name}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    return match.group(1).strip() if match else None


def test_submitting_an_empty_update_creates_nothing_and_says_so_at_each_field(client, secretary_a):
    client.force_login(secretary_a)
    data = {**form_data(), "month": "2005-03", "action": "submit"}
    for name in NARRATIVE:
        data[name] = ""
    response = client.post(reverse("communities:monthly_update_create"), data)
    assert response.status_code == 200
    assert not MonthlyUpdate.objects.exists()
    html = response.content.decode()
    for name in NARRATIVE:
        assert field_error(html, name) == "提交月报前请填写此项（保存草稿时可以不填）。", name
    assert 'value="2005-03"' in html and 'value="45"' in html  # everything typed is still there


def test_saving_a_draft_may_leave_the_texts_empty(client, secretary_a):
    client.force_login(secretary_a)
    data = {**form_data(), "month": "2005-03", "action": "save"}
    for name in NARRATIVE:
        data[name] = ""
    assert client.post(reverse("communities:monthly_update_create"), data).status_code == 302
    assert MonthlyUpdate.objects.get().status == MonthlyStatus.DRAFT


def test_submitting_a_complete_update_at_once_hands_it_in(client, secretary_a):
    client.force_login(secretary_a)
    data = {**form_data(), "month": "2005-03", "action": "submit"}
    assert client.post(reverse("communities:monthly_update_create"), data).status_code == 302
    assert MonthlyUpdate.objects.get().status == MonthlyStatus.SUBMITTED


def test_a_failed_submit_of_a_draft_saves_nothing(client, secretary_a, community_a):
    update = make_update(secretary_a, community_a, date(2005, 3, 1))
    client.force_login(secretary_a)
    data = {**form_data(update), "problems": "", "key_work": "改过的内容", "action": "submit"}
    response = client.post(reverse("communities:monthly_update_update", args=[update.pk]), data)
    assert response.status_code == 200
    assert field_error(response.content.decode(), "problems")
    update.refresh_from_db()
    assert update.status == MonthlyStatus.DRAFT and update.key_work != "改过的内容" and update.problems


def test_the_four_texts_carry_a_star_and_a_note(client, secretary_a):
    client.force_login(secretary_a)
    html = client.get(reverse("communities:monthly_update_create")).content.decode()
    for name in NARRATIVE:
        label = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', html, re.S).group(1)
        assert '<span class="text-danger" aria-hidden="true">*</span>' in label, name
    assert "标有 * 的项目提交时必须填写" in html


MONTHS = ["2005-03", "2005-3", "2005/3", "2005.03", "2005年3月", "２００５年３月", " 2005 年 3 月 "]


@pytest.mark.parametrize("typed", MONTHS)
def test_the_month_may_be_typed_as_people_write_it(client, secretary_a, typed):
    client.force_login(secretary_a)
    data = {**form_data(), "month": typed, "action": "save"}
    assert client.post(reverse("communities:monthly_update_create"), data).status_code == 302
    assert MonthlyUpdate.objects.get().period == date(2005, 3, 1)


def test_a_month_that_is_no_month_is_refused_and_kept_as_typed(client, secretary_a):
    client.force_login(secretary_a)
    data = {**form_data(), "month": "2005年13月", "action": "save"}
    html = client.post(reverse("communities:monthly_update_create"), data).content.decode()
    assert not MonthlyUpdate.objects.exists()
    assert 'value="2005年13月"' in html and "请输入月份，如 2005-03 或 2005年3月。" in html
    assert 'type="month"' not in html  # a text box: the browser's month control drops what it cannot read
