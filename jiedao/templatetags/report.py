"""Printing the dashboard's and the report's figures (jiedao.reporting.figures.Figure) as the seed does."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from jiedao.templatetags.figures import format_change, wan, yuan

register = template.Library()


@register.filter
def rate(value):
    """0.85 → 85.0%."""
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@register.filter
def count(value, unit=""):
    if value is None:
        return "—"
    return _("%(number)s %(unit)s") % {"number": intcomma(value), "unit": unit} if unit else intcomma(value)


@register.filter
def figure_value(figure, which="current"):
    value = getattr(figure, which)
    if value is None:
        return "—"
    if figure.kind == "wan":
        return wan(value)
    if figure.kind == "yuan":
        return yuan(value)
    if figure.kind == "rate":
        return rate(value)
    return count(value, figure.unit)


@register.filter
def figure_change(figure):
    """Year on year: a percentage for amounts and counts, percentage points for rates; "—" when
    either year is missing. Coloured by meaning (`Figure.tone`: a fall in letters and visits is
    good news, green), not by sign."""
    delta = figure.change
    if delta is None:
        return "—"
    if figure.kind != "rate":
        text = format_change(delta)
    else:
        points = (Decimal(delta) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        sign = "+" if points > 0 else ("−" if points < 0 else "±")
        text = _("%(sign)s%(points)s percentage points") % {"sign": sign, "points": abs(points)}
    tone = figure.tone
    if not tone:
        return format_html('<span class="change">{}</span>', text)
    return format_html('<span class="change change-{}">{}</span>', tone, text)


@register.filter
def plain_change(ratio):
    """A change as text without markup (for sentences)."""
    return "—" if ratio is None else format_change(ratio)


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
