from django import template
from django.utils.formats import localize
from django.utils.html import format_html

from jiedao.personal_numbers import mask_personal_numbers

register = template.Library()


@register.filter
def masked(text):
    """Residents' text shown in public: ID and mobile numbers masked, however they were formatted."""
    return mask_personal_numbers(text or "")


@register.filter
def rate_cell(rate):
    """A Rate as the timeliness tables show it: "83%" and "(10/12)" beside it, or "—" when nothing
    was expected. A filter, not an included template: the staff table shows 350 of them a page."""
    if rate.rate is None:
        return "—"
    percent = round(rate.on_time / rate.expected * 100)  # as {% widthratio %} rounds
    return format_html(
        '{}%<span class="text-muted small"> ({}/{})</span>', percent, localize(rate.on_time), localize(rate.expected)
    )
