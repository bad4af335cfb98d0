"""Issue 13 finding 7: the guide's 年度报告 chapter checked against its screens and the report itself:
every button, heading and chapter it names in **bold** is there."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jiedao.models import AnnualReport, SubDistrictYear
from jiedao.reporting.annual import annual_report_html
from tests.assessment.test_guide_chapters import bold_terms
from tests.communities.factories import CommunityYearFactory

pytestmark = pytest.mark.django_db


def test_the_report_chapter_names_what_its_screens_and_the_report_show(client, staff, community_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for year in (2004, 2005):
        CommunityYearFactory(community=community_a, year=year, collective_income=Decimal("50.00"))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=100, letters_visits=3, per_capita_income=5000)
    done = AnnualReport.objects.create(year=2005, version=1, requested_by=staff, status=AnnualReport.Status.DONE)
    client.force_login(staff)
    pages = [
        client.get(reverse("jiedao:annual_report_list")),
        client.get(reverse("jiedao:annual_report_text", args=[2005])),
        client.get(reverse("jiedao:annual_report_detail", args=[done.pk])),
    ]
    assert all(page.status_code == 200 for page in pages)
    shown = "\n".join([*(page.content.decode() for page in pages), annual_report_html(year=2005)])
    missing = sorted(term for term in bold_terms("年度报告.md") if term not in shown)
    assert not missing, f"the guide names what no screen shows: {missing}"
