"""Paging links that keep a list's filters: every value of every parameter, the page replaced."""

from django import template

register = template.Library()


@register.filter
def with_page(query, number) -> str:
    """`request.GET` with `page` set to `number`, as a query string (`?{{ request.GET|with_page:2 }}`)."""
    params = query.copy()
    params["page"] = number
    return params.urlencode()
