"""Figures as the seed writes them: 723.76万元, 5,406元, +60.8%."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def format_change(ratio) -> str:
    """0.60799 → "+60.8%", -0.1266 → "−12.7%" (a true minus sign)."""
    pct = (Decimal(ratio) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if pct > 0 else ("−" if pct < 0 else "±")
    return f"{sign}{abs(pct)}%"


@register.filter
def change(ratio):
    """A year-on-year change with its colour; a dash when there is no base year."""
    if ratio is None:
        return "—"
    css = "change-up" if ratio > 0 else ("change-down" if ratio < 0 else "")
    return format_html('<span class="{}">{}</span>', css, format_change(ratio))


@register.filter
def wan(value):
    """An amount in 万元 with two decimals."""
    if value is None:
        return "—"
    return _("%(amount)s 10k yuan") % {"amount": intcomma(f"{Decimal(value):.2f}", use_l10n=False)}


@register.filter
def yuan(value):
    """An amount in 元: whole yuan when it is whole, else two decimals."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}"
    # use_l10n=False: thousands as the seed writes them (5,406元), not zh-hans' groups of four.
    return _("%(amount)s yuan") % {"amount": intcomma(text, use_l10n=False)}
