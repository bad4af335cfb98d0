"""The home page's view of the communities, the same size whatever the size of the city: totals
and one page of the list (issue 16 item 5)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Sum

from communities.models import Community

COMMUNITIES_PER_PAGE = 30


def community_summary() -> dict:
    """How many communities, households and residents in all."""
    return Community.objects.aggregate(
        communities=Count("pk"), households=Sum("households"), population=Sum("population")
    )


def community_page(page=None) -> Page:
    """One page of what anyone may know about the communities: name, type, size; by code."""
    communities = Community.objects.only("code", "name", "kind", "households", "population").order_by("code")
    return Paginator(communities, COMMUNITIES_PER_PAGE).get_page(page)
