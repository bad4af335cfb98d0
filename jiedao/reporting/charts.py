"""Charts as SVG drawn on the server: the same code for the dashboard page and the report PDF.

matplotlib's Agg backend through the object API (no pyplot, so it is safe in threads), with the
settings measured in DESIGN §11: `svg.fonttype = "none"` keeps every label as text, set in
Noto Sans CJK SC, so the browser and WeasyPrint both draw the Chinese with the real font and
`pdftotext` / screen readers can read it. Each chart carries a text alternative (`alt`) that
states every value, and a `<title>` inside the SVG.
"""

import base64
import functools
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@functools.cache
def _matplotlib() -> SimpleNamespace:
    """matplotlib and numpy (~60 MB) are imported when the first chart is drawn, not by every process
    that imports this module: most views and report builds find their charts drawn already."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    return SimpleNamespace(rc_context=rc_context, FigureCanvasSVG=FigureCanvasSVG, Figure=Figure)


STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC"],
    "axes.unicode_minus": False,
    # Legible where they are shown: a 7.2-inch chart (518 px of viewBox) fills a half-width column
    # of the dashboard (~540 px) or a phone (~360 px, two thirds of its size): 11 px text stays
    # ≥ 7.5 px there; 9 px (the first version) became 6 px on a phone.
    "font.size": 11,
    "axes.titlesize": 12,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": None,
}
UNREFERENCED_IDS = re.compile(
    r' id="(?:figure|patch|axes|matplotlib\.axis|[xy]tick|line2d|text|legend|\w+Collection)_\d+"'
)
# Sober colours of an official document: party red, a grey, a dark blue.
COLOURS = ["#b71c1c", "#7f7f7f", "#1f3a5f", "#c98a00", "#4e7d3a"]


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str  # the text alternative: what a reader who cannot see the chart needs
    svg: SafeString  # to inline in a web page

    def __str__(self):
        return self.svg

    @property
    def data_uri(self) -> str:
        """The same SVG as a `data:` image, for the PDF: WeasyPrint draws it as its own document
        (its text stays text in the Noto font) and the report fetcher allows `data:`."""
        document = '<?xml version="1.0" encoding="utf-8"?>\n' + str(self.svg).replace(
            "<svg ", '<svg width="100%" height="100%" ', 1
        )
        return "data:image/svg+xml;base64," + base64.b64encode(document.encode()).decode()


# Drawing is most of a cold dashboard's time (~0.1 s a chart), and most writes (a notice, a monthly
# update) leave a chart's data as it was: a chart is drawn once per content and kept. The key holds
# every argument and this module's and matplotlib's versions, so a changed drawing is never served.
DRAWN_SECONDS = 24 * 3600  # a day: each changed chart is a new entry (tens of kB)
_CODE = hashlib.sha256(Path(__file__).read_bytes() + version("matplotlib").encode()).hexdigest()[:16]


def drawn_once(draw):
    @functools.wraps(draw)
    def cached(**kwargs):
        content = repr((draw.__name__, sorted(kwargs.items())))
        key = f"reporting:chart:{_CODE}:{hashlib.sha256(content.encode()).hexdigest()}"
        chart = cache.get(key)
        if chart is None:
            chart = draw(**kwargs)
            cache.set(key, chart, timeout=DRAWN_SECONDS)
        return chart

    return cached


def _number(value) -> float:
    return float(value or 0)


def _label(value) -> str:
    value = Decimal(value or 0)
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != value.to_integral() else f"{value:,.0f}"


def _svg(figure: "Figure", title: str, alt: str) -> SafeString:
    buffer = io.StringIO()
    _matplotlib().FigureCanvasSVG(figure).print_svg(buffer)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML declaration and DOCTYPE: it is inlined in HTML
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)  # no dates, no URLs
    # matplotlib names every element (figure_1, text_3 …): two charts on a page would repeat the
    # ids. Only the clip paths' and markers' ids (salted hashes, unique per chart) are referenced.
    text = UNREFERENCED_IDS.sub("", text)
    # Scale with the page: width 100 %, height from the viewBox.
    text = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 class="chart-svg"', text, count=1)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1).replace(
        ">", f"><title>{escape(title)}</title>", 1
    )
    return mark_safe(text)  # noqa: S308 - made here, every label escaped by matplotlib and above


def _figure(width: float, height: float, *, left_px: float = 60, bottom_px: float = 36) -> "Figure":
    """Fixed margins (in pixels at 72 dpi) instead of constrained layout: half the drawing time."""
    figure = _matplotlib().Figure(figsize=(width, height), dpi=72)
    figure.subplots_adjust(
        left=left_px / (width * 72),
        right=1 - 12 / (width * 72),
        bottom=bottom_px / (height * 72),
        top=1 - 28 / (height * 72),
    )
    return figure


@drawn_once
def grouped_bars(  # bars per category, one bar per series (collective income by community, two years)
    *, title: str, categories: list[str], series: dict[str, list], unit: str, horizontal: bool = False
) -> Chart:
    """The last series (the year reported on) in party red, the ones before in greys."""
    with _matplotlib().rc_context(STYLE):
        many = len(categories) > 8
        height = max(3.0, 0.32 * len(categories) * max(1, len(series)) / 1.6) if horizontal else 3.4
        longest = max((len(c) for c in categories), default=2)
        figure = (
            _figure(7.2, height, left_px=12 + 12 * longest)
            if horizontal
            else _figure(7.2, height, bottom_px=70 if many else 36)
        )
        axes = figure.add_subplot()
        count = max(1, len(series))
        width = 0.8 / count
        positions = list(range(len(categories)))
        palette = ["#9e9e9e", "#5f5f5f", "#1f3a5f"][: count - 1][::-1] + [COLOURS[0]]
        for index, (label, values) in enumerate(series.items()):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            numbers = [_number(v) for v in values]
            if horizontal:
                axes.barh(offsets, numbers, height=width, label=label, color=palette[index % len(palette)])
            else:
                axes.bar(offsets, numbers, width=width, label=label, color=palette[index % len(palette)])
        if horizontal:
            axes.set_yticks(positions, categories)
            axes.invert_yaxis()
            axes.set_xlabel(unit)
        else:
            axes.set_xticks(positions, categories, rotation=45 if many else 0, ha="right" if many else "center")
            axes.set_ylabel(unit)
        if len(series) > 1:
            axes.legend(frameon=False)
        axes.set_title(title)
        svg_alt = _alt(title, categories, series, unit)
        return Chart(title=title, alt=svg_alt, svg=_svg(figure, title, svg_alt))


@drawn_once
def trend_lines(*, title: str, years: list[int], series: dict[str, list], unit: str) -> Chart:
    """One line per indicator over the years on record."""
    with _matplotlib().rc_context(STYLE):
        figure = _figure(7.2, 3.2)
        axes = figure.add_subplot()
        for index, (label, values) in enumerate(series.items()):
            points = [(y, _number(v)) for y, v in zip(years, values, strict=True) if v is not None]
            axes.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker="o",
                label=label,
                color=COLOURS[index % len(COLOURS)],
            )
            for x, y in points:
                axes.annotate(_label(y), (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=10)
        axes.set_xticks(years, [str(y) for y in years])
        axes.set_ylabel(unit)
        axes.margins(x=0.15, y=0.2)
        if len(series) > 1:
            axes.legend(frameon=False)
        axes.set_title(title)
        svg_alt = _alt(title, [str(y) for y in years], series, unit)
        return Chart(title=title, alt=svg_alt, svg=_svg(figure, title, svg_alt))


@drawn_once
def distribution(*, title: str, counts: dict[str, int], unit: str) -> Chart:
    """How many fall in each class (e.g. appraisal grades), bars with their counts written on."""
    with _matplotlib().rc_context(STYLE):
        figure = _figure(5.0, 2.8)
        axes = figure.add_subplot()
        labels = list(counts)
        values = [int(counts[k] or 0) for k in labels]
        bars = axes.bar(range(len(labels)), values, color=COLOURS[0], width=0.6)
        axes.bar_label(bars, labels=[str(v) for v in values])
        axes.set_xticks(range(len(labels)), labels)
        axes.set_ylabel(unit)
        axes.set_title(title)
        svg_alt = _alt(title, labels, {"": values}, unit)
        return Chart(title=title, alt=svg_alt, svg=_svg(figure, title, svg_alt))


def _alt(title: str, categories: list[str], series: dict[str, list], unit: str) -> str:
    parts = []
    for label, values in series.items():
        points = "，".join(
            f"{c} {_label(v)}" if v is not None else f"{c} —" for c, v in zip(categories, values, strict=True)
        )
        parts.append(f"{label}：{points}" if label else points)
    return f"{title}（{unit}）。" + "；".join(parts) + "。"
