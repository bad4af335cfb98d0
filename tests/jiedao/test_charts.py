"""Charts drawn on the server: Chinese stays text, every chart has a text alternative."""

import base64
import re

from jiedao.reporting import charts


def income():
    return charts.grouped_bars(
        title="各社区集体经济可支配收入",
        categories=["秀水社区", "丛树社区", "<b>怪名</b>"],
        series={"2004": [62.4, 45.3, None], "2005": [76.26, 72.8, 1]},
        unit="万元",
        horizontal=True,
    )


def test_chinese_labels_stay_text_in_the_noto_font():
    svg = str(income().svg)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    texts = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "秀水社区" in texts and "丛树社区" in texts and "万元" in texts
    assert "Noto Sans CJK SC" in svg
    assert "<path" not in texts  # labels are not outlines


def test_negative_ticks_use_a_plain_minus_that_every_font_has():
    svg = str(charts.trend_lines(title="变化", years=[2004, 2005], series={"差额": [-6, 6]}, unit="万元").svg)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert any(t.startswith("-") for t in texts) and not any("\u2212" in t for t in texts)


def test_every_chart_has_a_text_alternative_with_its_values():
    chart = income()
    assert chart.alt.startswith("各社区集体经济可支配收入（万元）")
    assert "秀水社区 76.26" in chart.alt and "丛树社区 45.3" in chart.alt and "—" in chart.alt
    assert (
        'role="img"' in chart.svg and f'aria-label="{chart.alt.replace("<", "&lt;").replace(">", "&gt;")}"' in chart.svg
    )
    assert "<title>各社区集体经济可支配收入</title>" in chart.svg


def test_user_text_is_escaped_and_charts_carry_no_links_or_dates():
    svg = str(income().svg)
    assert "<b>" not in svg and "&lt;b&gt;怪名&lt;/b&gt;" in svg
    assert "<metadata" not in svg and "dc:date" not in svg
    urls = set(re.findall(r'"(https?://[^"]+)"', svg))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # namespaces only


def test_two_charts_on_one_page_do_not_repeat_element_ids():
    first = str(income().svg)
    second = str(
        charts.trend_lines(title="历年来信来访", years=[2004, 2005], series={"来信来访": [79, 69]}, unit="件").svg
    )
    ids_first = set(re.findall(r' id="([^"]+)"', first))
    ids_second = set(re.findall(r' id="([^"]+)"', second))
    assert not ids_first & ids_second
    for ref in re.findall(r"url\(#([^)]+)\)", first):
        assert ref in ids_first  # what is referenced is still there


def test_the_pdf_gets_the_same_svg_as_a_data_uri():
    chart = charts.distribution(title="考核等次分布", counts={"优秀": 5, "合格": 12, "不合格": 0}, unit="人")
    prefix = "data:image/svg+xml;base64,"
    assert chart.data_uri.startswith(prefix)
    document = base64.b64decode(chart.data_uri[len(prefix) :]).decode()
    assert "优秀" in document and "合格" in document
    assert chart.alt == "考核等次分布（人）。优秀 5，合格 12，不合格 0。"
