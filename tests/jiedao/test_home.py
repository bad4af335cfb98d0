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


def test_demo_communities_carry_the_seeds_figures():
    from decimal import Decimal

    from django.db.models import Count, Q, Sum

    from communities.models import Community, CommunityYear

    demo.load(stdout=io.StringIO(), password="unused")
    place = Community.objects.aggregate(
        area=Sum("area_km2"), people=Sum("population"), villages=Count("pk", filter=Q(kind="village"))
    )
    assert place == {"area": Decimal("37.61"), "people": 99_680, "villages": 18}
    years = {
        row["year"]: row
        for row in CommunityYear.objects.values("year").annotate(
            income=Sum("collective_income"), poor=Count("pk", filter=Q(is_poor=True))
        )
    }
    assert (years[2004]["income"], years[2004]["poor"]) == (Decimal("450.14"), 10)
    assert (years[2005]["income"], years[2005]["poor"]) == (Decimal("723.76"), 0)
