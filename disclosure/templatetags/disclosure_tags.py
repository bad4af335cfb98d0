from django import template

from disclosure.services import mask_personal

register = template.Library()


@register.filter
def masked(text):
    """Residents' text shown in public: ID and mobile numbers masked."""
    return mask_personal(text or "")
