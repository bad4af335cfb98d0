"""The residents' showcase page: figures and photos, never personal data."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from showcase import services
from showcase.choices import FundingSource, InspectionKind
from showcase.models import Funding, Inspection, Rectification
from tests.communities.factories import CadreFactory, PartyMemberFactory
from tests.showcase.factories import check_of, png

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_sites_and_no_personal_data(client, staff, inspector, secretary_a, site_a, programme):
    staff.first_name, staff.last_name = "王", "主任"
    staff.save()
    secretary_a.first_name = "秀水张书记"
    secretary_a.save()
    member = PartyMemberFactory(community=site_a.community, name="李党员", mobile="13912345678")
    CadreFactory(community=site_a.community, name="赵干部")
    check = check_of(site_a, "A")
    services.check_record(actor=inspector, check=check, met=True, note="由赵干部陪同查看，电话13912345678", photo=png())
    services.funding_save(
        actor=staff,
        funding=Funding(
            site=site_a, source=FundingSource.SUBSIDY, amount=Decimal("15"), date=date(2005, 4, 1), purpose="补助"
        ),
    )
    meeting = services.inspection_record(
        actor=inspector,
        inspection=Inspection(
            programme=programme, kind=InspectionKind.VISIT, date=date(2005, 5, 9), participants="王主任、李组长"
        ),
        sites=[site_a],
    )
    item = services.rectification_open(
        actor=inspector,
        rectification=Rectification(
            site=site_a,
            inspection=meeting,
            standard=check.standard,
            description="请李党员整改",
            deadline=date(2099, 1, 1),
        ),
        photo=png(),
    )
    services.rectification_report(actor=secretary_a, rectification=item, note="张书记已整改", photo=png())

    response = client.get(reverse("shifan:showcase"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "秀水社区" in page and "农家乐旅游" in page and "15.00" in page
    for personal in ["李党员", "赵干部", "王主任", "李组长", "张书记", "秀水张书记", "13912345678", member.id_number]:
        assert personal not in page, personal
    assert not re.search(r"1[3-9]\d{9}", page)  # no mobile number
    assert not re.search(r"\d{17}[\dX]", page)  # no ID number
    # the evidence photo is shown, the before/after photos of the item are not
    photo_urls = re.findall(r'src="(/shifan/photos/\d+/)"', page)
    assert photo_urls == [reverse("shifan:photo", args=[check.photos.get().pk])]
    assert client.get(photo_urls[0]).status_code == 200
    for photo in item.photos.all():
        assert client.get(reverse("shifan:photo", args=[photo.pk])).status_code == 404


def test_the_public_page_by_year_and_without_a_programme(client, staff):
    assert client.get(reverse("shifan:showcase")).status_code == 200
    assert client.get(reverse("shifan:showcase") + "?year=1999").status_code == 404


def test_a_bad_year_shows_the_latest_programme(client, staff, programme):
    for bad in ("²", "99999", "abc", "-1", "1800"):
        response = client.get(reverse("shifan:showcase"), {"year": bad})
        assert response.status_code == 200, bad
        assert response.context["programme"] == programme
    assert client.get(reverse("shifan:showcase"), {"year": programme.year}).context["programme"] == programme


def test_photos_are_served_as_sandboxed_private_downloads(client, inspector, site_a):
    check = check_of(site_a, "A")
    services.check_record(actor=inspector, check=check, met=True, photo=png())
    photo = check.photos.get()
    client.force_login(inspector)
    for target in (reverse("shifan:photo", args=[photo.pk]), reverse("showcase:photo_download", args=[photo.pk])):
        response = client.get(target)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Type"] == "image/png"
