from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def percent(ratio):
    """0.635 → 64 (a whole percentage for progress bars); None stays None."""
    if ratio is None or ratio == "":
        return None
    return int((Decimal(ratio) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
