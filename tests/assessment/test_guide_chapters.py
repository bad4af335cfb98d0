"""Issue 13 finding 7: the guide's chapters 干部考核与民主测评 and 培训台账 checked against the screens
they describe — every button and heading a chapter names in **bold** is on one of its pages."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import AppraisalCycle
from tests.assessment.factories import TrainingEventFactory

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"


def bold_terms(chapter: str) -> set[str]:
    text = (GUIDE / chapter).read_text(encoding="utf-8")
    terms = {term.strip() for term in re.findall(r"\*\*(.+?)\*\*", text)} - {"粗体"}
    assert len(terms) >= 5, chapter
    return terms


def screens(client, urls) -> str:
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_the_appraisal_chapter_names_what_its_screens_show(client, staff, open_cycle, session_a, cadres_a):
    draft = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2006))
    client.force_login(staff)
    staff_pages = screens(
        client,
        [
            reverse("assessment:cycle_list"),
            reverse("assessment:cycle_detail", args=[draft.pk]),
            reverse("assessment:cycle_detail", args=[open_cycle.pk]),
            reverse("assessment:cycle_results", args=[open_cycle.pk]),
            reverse("assessment:session_detail", args=[session_a.pk]),
        ],
    )
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    client.logout()
    start = client.get(reverse("ceping:start")).content.decode()
    ballot = client.post(reverse("ceping:start"), {"code": services.format_code(code)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', ballot).group(1)
    refused = client.post(reverse("ceping:vote"), {"token": token}).content.decode()
    shown = "\n".join([staff_pages, start, ballot, refused])
    missing = sorted(term for term in bold_terms("考核测评.md") if term not in shown)
    assert not missing, f"the guide names what no screen shows: {missing}"


def test_the_training_chapter_names_what_its_screens_show(client, staff, cadres_a):
    event = TrainingEventFactory()
    client.force_login(staff)
    shown = screens(
        client,
        [
            reverse("assessment:cycle_list"),
            reverse("assessment:training_event_list"),
            reverse("assessment:training_event_detail", args=[event.pk]),
            reverse("assessment:training_hours") + "?year=2005",
        ],
    )
    missing = sorted(term for term in bold_terms("培训台账.md") if term not in shown)
    assert not missing, f"the guide names what no screen shows: {missing}"


def test_training_pages_open_on_the_latest_year_with_events_and_offer_only_years_with_events(client, staff):
    TrainingEventFactory()  # 2005
    client.force_login(staff)
    page = client.get(reverse("assessment:training_hours")).content.decode()
    assert '<option value="2005" selected>' in page  # not the empty current year (issue 13 finding 2)
    assert '<option value="2004"' not in page and '<option value="2010"' not in page
    listing = client.get(reverse("assessment:training_event_list")).content.decode()
    assert '<option value="2005">' in listing and '<option value="2004"' not in listing
