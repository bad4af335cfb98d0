"""Issue 13 findings 15 and 16: a notice typed as plain text keeps its paragraphs, lists and tables
on the public page and the print view; the catalogue list offers only the board's level."""

import pytest
from django.urls import reverse

from disclosure.choices import Category, Level
from disclosure.models import Notice
from jiedao.richtext import body_html
from tests.disclosure.factories import CatalogItemFactory, board_of, draft, published

pytestmark = pytest.mark.django_db

TYPED = (
    "第一段第一行\n第一段第二行\n\n第二段\n\n- 道路硬化\n- 路灯维修\n\n1. 召开议事会\n2、公示结果\n\n"
    "|项目|金额|\n|---|---|\n|道路|1.5万元|"
)


def test_plain_text_convention_becomes_paragraphs_lists_and_tables():
    assert body_html(TYPED) == (
        "<p>第一段第一行<br>第一段第二行</p><p>第二段</p>"
        "<ul><li>道路硬化</li><li>路灯维修</li></ul>"
        "<ol><li>召开议事会</li><li>公示结果</li></ol>"
        "<table><thead><tr><th>项目</th><th>金额</th></tr></thead>"
        "<tbody><tr><td>道路</td><td>1.5万元</td></tr></tbody></table>"
    )


def test_plain_text_is_escaped_and_html_is_sanitised_as_before():
    assert body_html("收入 < 支出 & 结余 > 0") == "<p>收入 &lt; 支出 &amp; 结余 &gt; 0</p>"
    assert body_html("<p>已排版</p><script>alert(1)</script>") == "<p>已排版</p>"


def test_typed_paragraphs_survive_on_the_public_page_and_the_print_view(
    client, secretary_a, staff, approver, community_a
):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a, body=TYPED)
    board = notice.board.slug
    for name in ("gongkai:notice", "gongkai:notice_print"):
        page = client.get(reverse(name, args=[board, notice.pk])).content.decode()
        assert "<p>第一段第一行<br>第一段第二行</p><p>第二段</p>" in page
        assert "<li>路灯维修</li>" in page and "<td>1.5万元</td>" in page


def test_a_community_board_offers_only_community_items(client, secretary_a, community_a):
    CatalogItemFactory(level=Level.SUBDISTRICT, category=Category.GOVERNMENT, name="街道财政预算")
    community_item = CatalogItemFactory(category=Category.RESIDENTS, name="社区议事会决定")
    client.force_login(secretary_a)
    page = client.get(reverse("disclosure:notice_create")).content.decode()
    assert "社区议事会决定" in page
    assert "街道财政预算" not in page
    assert community_item.level == board_of(community_a).level


def test_staff_see_the_level_of_each_board_and_item_for_the_narrowing_script(client, staff, community_a):
    sub_item = CatalogItemFactory(level=Level.SUBDISTRICT, category=Category.GOVERNMENT, name="街道财政预算")
    board_of(community_a)
    client.force_login(staff)
    response = client.get(reverse("disclosure:notice_create"))
    levels = response.context["form"].catalogue_levels
    assert levels["items"][str(sub_item.pk)] == Level.SUBDISTRICT
    assert levels["boards"][str(board_of(community_a).pk)] == Level.COMMUNITY
    assert 'id="catalogue-levels"' in response.content.decode()


def test_saving_a_subdistrict_item_on_a_community_board_is_refused_at_the_field(client, secretary_a, community_a):
    sub_item = CatalogItemFactory(level=Level.SUBDISTRICT, category=Category.GOVERNMENT, name="街道财政预算")
    client.force_login(secretary_a)
    response = client.post(
        reverse("disclosure:notice_create"),
        {
            "board": board_of(community_a).pk,
            "catalog_item": sub_item.pk,
            "title": "标题",
            "body": "正文",
            "period_start": "2005-03-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["catalog_item"]
    assert not Notice.objects.exists()
    draft(author=secretary_a, community=community_a)  # a community item still saves
    assert Notice.objects.count() == 1
