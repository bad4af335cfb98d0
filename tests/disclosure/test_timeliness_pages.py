"""The staff 公开及时率 page paged by board: each page counts only its own boards, the footer is the
whole sub-district's by category and in all (timeliness_totals, never the boards added up), the
drill-down works on any page, and the year picker, the name box and the paging links carry each
other's parameters."""

import re

import pytest

from disclosure import selectors
from disclosure.choices import Category
from disclosure.models import Board
from tests.disclosure.test_timeliness import AS_OF_DATES, mixed_year  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

URL = "/disclosure/timeliness/"


def _counts(rate):
    return (rate.expected, rate.on_time, rate.late, rate.missing)


@pytest.mark.usefixtures("mixed_year")
def test_the_totals_by_category_count_as_the_cells_do():
    """timeliness_totals gives each category's part of the total as the cells count it, and the
    same figures as timeliness_table's footer, at three dates."""
    for as_of in AS_OF_DATES:
        cells = selectors.timeliness_cells(year=2005, as_of=as_of)
        total, _published_any = selectors.timeliness_totals(years=[2005], as_of=as_of)[2005]
        table = selectors.timeliness_table(year=2005, as_of=as_of)
        for (category, _label), footer in zip(table.categories, table.by_category, strict=True):
            expected = selectors.Rate()
            for cell in cells:
                if cell.item.category == category:
                    expected.add(cell)
            assert _counts(total.by_category[category]) == _counts(expected), (as_of, category)
            assert _counts(total.by_category[category]) == _counts(footer), (as_of, category)
        summed = selectors.Rate()
        for category, _label in Category.choices:
            summed.merge(total.by_category[category])
        assert _counts(summed) == _counts(total), as_of
    # 1 Mar 2006: the monthly reports and the councils (居务), the quarterly accounts (财务).
    assert _counts(total.by_category[Category.RESIDENTS]) == (26, 3, 1, 22)
    assert _counts(total.by_category[Category.FINANCE]) == (8, 1, 0, 7)


def _rows(page: str) -> list[str]:
    body = page[page.index('data-testid="timeliness-table"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', body)


def _footer(page: str) -> str:
    return page[page.index("<tfoot>") : page.index("</tfoot>")]


@pytest.mark.usefixtures("mixed_year")
def test_the_page_shows_a_page_of_boards_and_the_whole_sub_districts_footer(
    client, staff, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "TIMELINESS_BOARDS_PER_PAGE", 1)
    client.force_login(staff)
    boards = list(Board.objects.order_by("order", "slug").values_list("name", flat=True))
    assert len(boards) == 3  # the sub-district's, 秀水社区's and 丛树社区's
    footers, seen = set(), []
    for number in range(1, len(boards) + 1):
        with django_assert_max_num_queries(25):
            page = client.get(URL, {"year": "2005", "page": str(number)}).content.decode()
        seen += _rows(page)
        footers.add(_footer(page))
        assert f"第 {number} 页，共 3 页（3 个公开栏）" in page
        if number < len(boards):
            assert f'href="?year=2005&amp;page={number + 1}"' in page  # the next page keeps the year
    assert seen == boards  # one board a page, each once
    assert len(footers) == 1  # every page shows the same footer: the sub-district's
    footer = footers.pop()
    # 34 expected, 4 on time (居务 3 of 26, 财务 1 of 8), 1 late, 29 missing.
    assert "(3/26)" in footer and "(1/8)" in footer and "(4/34)" in footer
    assert '<td class="num">1</td><td class="num">29</td>' in footer


@pytest.mark.usefixtures("mixed_year")
def test_a_boards_name_narrows_the_table_not_the_footer(client, staff, monkeypatch):
    monkeypatch.setattr(selectors, "TIMELINESS_BOARDS_PER_PAGE", 1)
    client.force_login(staff)
    page = client.get(URL, {"year": "2005", "board_name": "丛树"}).content.decode()
    assert _rows(page) == ["丛树社区"]
    assert 'data-testid="timeliness-pages"' not in page  # one board matches: one page
    assert "(4/34)" in _footer(page)
    assert 'name="board_name" value="丛树"' in page  # the year picker keeps the name
    assert "没有符合条件的公开栏" in client.get(URL, {"year": "2005", "board_name": "无此社区"}).content.decode()


@pytest.mark.usefixtures("mixed_year")
def test_the_drill_down_lists_a_boards_late_and_missing_items_on_any_page(client, staff, community_a, monkeypatch):
    monkeypatch.setattr(selectors, "TIMELINESS_BOARDS_PER_PAGE", 1)
    client.force_login(staff)
    slug = community_a.disclosure_board.slug
    # 秀水社区 is on page 2; its list shows on page 3 too, and the year picker keeps page and board.
    for number in ("2", "3"):
        response = client.get(URL, {"year": "2005", "page": number, "board": slug})
        page = response.content.decode()
        listing = page.split('data-testid="late-missing"')[1]
        assert "2005-08-01 – 2005-08-31" in listing and "2005-09-15" in listing  # August, late
        assert "通过集体资产租赁方案" not in listing and "民主议事会决议" in listing  # the council never disclosed
        problems = selectors.timeliness_problems(board=community_a.disclosure_board, year=2005)
        assert listing.count("<tr>") == 1 + len(problems)
        picker = page[page.index('data-testid="timeliness-year"') :]
        picker = picker[: picker.index("</form>")]
        assert f'name="page" value="{number}"' in picker and f'name="board" value="{slug}"' in picker
    assert "秀水社区" in _rows(client.get(URL, {"year": "2005", "page": "2"}).content.decode())
    row_link = f'href="?year=2005&amp;page=2&amp;board={slug}#late-missing"'
    assert row_link in client.get(URL, {"year": "2005", "page": "2"}).content.decode()
    # An unknown or malformed board shows no list, and no error.
    for bad in ("nope", "x" * 40, "a\x00b"):
        assert 'data-testid="late-missing"' not in client.get(URL, {"year": "2005", "board": bad}).content.decode()
