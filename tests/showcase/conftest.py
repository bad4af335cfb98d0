from datetime import date
from decimal import Decimal

import pytest

from showcase import services
from showcase.choices import FundingSource, InspectionKind, PhotoKind
from showcase.models import Funding, Inspection, Rectification
from tests.showcase.factories import check_of, make_programme, make_site, png


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(staff):
    return make_programme(staff)


@pytest.fixture
def site_a(staff, programme, community_a):
    return make_site(staff, programme, community_a, theme="农家乐旅游")


@pytest.fixture
def site_b(staff, programme, community_b):
    return make_site(staff, programme, community_b, theme="土地流转")


@pytest.fixture
def world(staff, inspector, programme, site_a):
    """A site of community A with a funding line, an inspection, an open item and photos."""
    check = check_of(site_a, "A")
    services.check_record(actor=inspector, check=check, met=True, photo=png("evidence.png"), caption="活动室")
    funding = services.funding_save(
        actor=staff,
        funding=Funding(
            site=site_a, source=FundingSource.SUBSIDY, amount=Decimal("15"), date=date(2005, 4, 15), purpose="补助"
        ),
    )
    meeting = services.inspection_record(
        actor=inspector,
        inspection=Inspection(
            programme=programme, kind=InspectionKind.WEEKLY, date=date(2005, 5, 9), participants="督查组"
        ),
        sites=[site_a],
    )
    item = services.rectification_open(
        actor=inspector,
        rectification=Rectification(
            site=site_a,
            inspection=meeting,
            standard=check.standard,
            description="公开栏未更新",
            deadline=date(2099, 1, 1),
        ),
        photo=png("before.png"),
    )
    return {
        "programme": programme,
        "site": site_a,
        "standard": check.standard,
        "check": check,
        "funding": funding,
        "inspection": meeting,
        "item": item,
        "evidence": check.photos.get(),
        "before": item.photos.get(kind=PhotoKind.BEFORE),
    }
