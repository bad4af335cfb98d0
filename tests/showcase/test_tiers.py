"""Issue 13 finding 10: a demonstration site's economic tier (较好/一般/较差) agrees with the portal's
own incomes, and site lists follow a visible order (tier, then community)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.test import Client
from django.urls import reverse

from communities import demo as communities_demo
from communities.choices import CommunityKind
from jiedao import demo as jiedao_demo
from showcase import demo as showcase_demo
from showcase.choices import EconomicTier
from showcase.models import Site
from showcase.selectors import income_tiers, public_sites, sites_of
from tests.communities.factories import CommunityFactory, CommunityYearFactory
from tests.showcase.factories import make_programme, make_site

pytestmark = pytest.mark.django_db


def test_tiers_are_the_thirds_of_the_villages_income_ranking():
    incomes = ["90", "80", "70", "60", "50", "40"]
    villages = [CommunityFactory(name=f"村{i}") for i in range(6)]
    for village, income in zip(villages, incomes, strict=True):
        CommunityYearFactory(community=village, year=2004, collective_income=Decimal(income))
    urban = CommunityFactory(name="城区", kind=CommunityKind.URBAN)
    CommunityYearFactory(community=urban, year=2004, collective_income=Decimal("0"))
    tiers = income_tiers(2004)
    assert urban.pk not in tiers  # no collective economy to rank
    assert [tiers[v.pk].tier for v in villages] == [EconomicTier.GOOD] * 2 + [EconomicTier.AVERAGE] * 2 + [
        EconomicTier.POOR
    ] * 2
    assert (tiers[villages[4].pk].rank, tiers[villages[4].pk].of) == (5, 6)


def test_the_demo_sites_tiers_agree_with_the_demo_incomes():
    out = StringIO()
    for module in (communities_demo, jiedao_demo, showcase_demo):
        module.load(stdout=out, password="pw-for-tests-1")
    sites = list(Site.objects.filter(programme__year=2005).select_related("community"))
    assert len(sites) == 6 and {s.economic_tier for s in sites} == set(EconomicTier.values)
    for year in (2004, 2005):  # chosen on 2004's incomes, and 2005's tell the same
        tiers = income_tiers(year)
        for site in sites:
            assert site.economic_tier == tiers[site.community_id].tier, (year, site.community.name)
    hl = next(s for s in sites if s.community.name == "鹤林社区")
    assert income_tiers(2004)[hl.community_id].rank > 12  # bottom third of 18 villages, not 5th


def test_site_lists_read_by_tier_then_community(staff, community_a, community_b):
    programme = make_programme(staff)
    poor = make_site(staff, programme, community_a)
    Site.objects.filter(pk=poor.pk).update(economic_tier=EconomicTier.POOR)
    good = make_site(staff, programme, community_b)
    Site.objects.filter(pk=good.pk).update(economic_tier=EconomicTier.GOOD)
    assert [s.pk for s in sites_of(user=staff, programme=programme)] == [good.pk, poor.pk]
    assert [s.pk for s in public_sites(programme=programme)] == [good.pk, poor.pk]
    page = Client()
    page.force_login(staff)
    html = page.get(reverse("showcase:programme_detail", args=[programme.pk])).content.decode()
    assert html.index(community_b.name) < html.index(community_a.name)
