from django import template

from jiedao.personal_numbers import mask_personal

register = template.Library()


@register.filter
def masked(text):
    """Residents' text shown in public: ID and mobile numbers masked."""
    return mask_personal(text or "")
