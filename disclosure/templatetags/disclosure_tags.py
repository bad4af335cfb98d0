from django import template

from jiedao.personal_numbers import mask_personal_numbers

register = template.Library()


@register.filter
def masked(text):
    """Residents' text shown in public: ID and mobile numbers masked, however they were formatted."""
    return mask_personal_numbers(text or "")
