import io

import pytest

from communities import demo

pytestmark = pytest.mark.django_db


def test_home_lists_the_twenty_demo_communities_in_chinese(client):
    demo.load(stdout=io.StringIO(), password="unused")  # the communities part of seed_demo
    page = client.get("/").content.decode()
    assert "社区" in page and "登录" in page
    for name in ["秀水社区", "丛树社区", "建设社区", "向龙社区", "鹤林社区", "平丰社区", "和成社区"]:
        assert name in page
    assert page.count("<tr><td>") == 20


def test_missing_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
