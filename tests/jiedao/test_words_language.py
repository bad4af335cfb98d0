"""The portal speaks Chinese whatever the browser asks for (finding 6): a browser set to English
gets Chinese on the staff pages and in the admin, never "××街道Party-building portal"."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_a_staff_page_is_chinese_for_an_english_browser(client, staff, settings):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    for url in (reverse("communities:community_list"), reverse("todo:list")):
        page = client.get(url, **ENGLISH).content.decode()
        assert '<html lang="zh-hans">' in page
        assert f"{settings.SUBDISTRICT_NAME}党建工作平台" in page and "Party-building portal" not in page
        assert "我的待办" in page and "My to-do list" not in page


def test_the_admin_is_chinese_for_an_english_browser(client):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    client.force_login(root)
    page = client.get("/admin/", **ENGLISH).content.decode()
    assert "修改" in page and "Change" not in page
    assert "站点管理" in page or "系统管理" in page
    page = client.get(reverse("admin:auth_group_add"), **ENGLISH).content.decode()
    assert "可修改社区" in page and "Can change community" not in page


def test_an_english_language_prefix_or_parameter_changes_nothing(client):
    page = client.get("/?language=en", **ENGLISH).content.decode()
    assert "党建工作平台" in page and "Party-building portal" not in page
