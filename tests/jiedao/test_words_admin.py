"""The Django admin reads Chinese (finding 4): Django's own words keep Django's translations (修改,
not the project's year-on-year 同比), django-axes and django-otp's models are named in Chinese,
and permission names (stored in English) show in Chinese in the group and user forms."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from jiedao.models import SubDistrictYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    client.force_login(root)
    return client


def text_of(response) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_admin_index_says_add_and_change_as_django_does_and_names_third_party_apps_in_chinese(admin_client):
    page = text_of(admin_client.get("/admin/"))
    assert "修改" in page and "同比" not in page
    for chinese in ("登录锁定", "登录尝试", "登录失败记录", "登录日志", "两步验证", "动态口令设备", "模型名称"):
        assert chinese in page, chinese
    for english in (
        "Access attempts",
        "Access logs",
        "Access failures",
        "TOTP devices",
        "Axes",
        "Model name",
        "Add link",
    ):
        assert english not in page, english
    assert "党建工作平台管理" in page


def test_axes_pages_read_chinese(admin_client):
    page = text_of(admin_client.get(reverse("admin:axes_accesslog_changelist")))
    for chinese in ("登录日志", "尝试时间", "退出时间", "路径"):
        assert chinese in page, chinese
    assert "Attempt Time" not in page and "Logout Time" not in page


def test_permission_names_are_chinese_in_the_group_form(admin_client):
    page = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert "可查看完整身份证号和手机号" in page
    assert "社区 | 社区 | 可修改社区" in page
    assert "Can see full ID" not in page and "Can add " not in page and "Can view " not in page
    reveal = Permission.objects.get(codename="reveal_identity")
    assert reveal.name == "Can see full ID and mobile numbers"  # stored in English, shown in Chinese


def test_the_user_form_shows_the_same_chinese_permission_names(admin_client, staff):
    page = admin_client.get(reverse("admin:auth_user_change", args=[staff.pk])).content.decode()
    assert "可查看完整身份证号和手机号" in page and "Can change " not in page


def test_the_portal_keeps_change_as_year_on_year(client, staff):
    SubDistrictYear.objects.create(year=2004, fiscal_revenue=1236, letters_visits=79, per_capita_income=4610)
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)
    client.force_login(staff)
    page = text_of(client.get(reverse("jiedao:dashboard") + "?year=2005"))
    assert "同比" in page
