"""/shifan/ for a city of any size (issue 16 item 5): the programme summarised (sites by status,
funding totals), the sites in pages, optionally narrowed to a community's name."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch

from .choices import PhotoKind, SiteStatus
from .models import Photo, Programme, Site
from .selectors import with_figures

SITES_PER_PAGE = 12


def site_page(*, programme: Programme, name: str = "", page=None) -> tuple[Page, list[Site]]:
    """One page of the programme's sites (by community code) and those sites with their figures
    and evidence photos; the figures are computed for this page's sites only."""
    base = Site.objects.filter(programme=programme)
    if name:
        base = base.filter(community__name__icontains=name)
    result = Paginator(base.order_by("community__code", "pk").only("pk"), SITES_PER_PAGE).get_page(page)
    evidence = Photo.objects.filter(kind=PhotoKind.EVIDENCE).select_related("check_item__standard").order_by("id")
    sites = (
        Site.objects.filter(pk__in=[site.pk for site in result])
        .select_related("community")
        .prefetch_related(Prefetch("photos", queryset=evidence, to_attr="evidence_photos"))
        .order_by("community__code", "pk")
    )
    return result, list(with_figures(sites))


def status_summary(*, programme: Programme) -> list[tuple[str, int]]:
    """(status label, number of sites) for every status the programme's sites are in."""
    counts = dict(Site.objects.filter(programme=programme).values_list("status").annotate(n=Count("pk")).order_by())
    return [(label, counts[value]) for value, label in SiteStatus.choices if counts.get(value)]
