"""What each page offers follows the role and the cycle's state; the pages show only the allowed
buttons; `?year=` never fails."""

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import AppraisalCycle
from jiedao.permissions import appraisal_actions, cycle_actions, session_actions

pytestmark = pytest.mark.django_db


def test_cycle_actions_follow_the_state(staff, secretary_a, inspector):
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    actions = cycle_actions(staff, cycle)
    assert (actions.edit, actions.start, actions.recalculate, actions.close) == (True, True, False, False)
    services.cycle_start(actor=staff, cycle=cycle)
    cycle.refresh_from_db()
    actions = cycle_actions(staff, cycle)
    assert (actions.edit, actions.start, actions.recalculate, actions.close) == (True, False, True, True)
    services.cycle_close(actor=staff, cycle=cycle)
    cycle.refresh_from_db()
    actions = cycle_actions(staff, cycle)
    assert not any((actions.edit, actions.start, actions.recalculate, actions.close))
    for user in (secretary_a, inspector):
        assert cycle_actions(user, cycle) == cycle_actions(user, AppraisalCycle(year=2006))
        assert not any(vars(cycle_actions(user, AppraisalCycle(year=2006))).values())


def test_session_and_appraisal_actions(staff, secretary_a, open_cycle, session_a):
    assert all(vars(session_actions(staff, session_a)).values())
    appraisal = open_cycle.appraisals.first()
    assert appraisal_actions(staff, appraisal).score
    assert not appraisal_actions(secretary_a, appraisal).score
    assert not any(vars(session_actions(secretary_a, session_a)).values())
    services.session_close_voting(actor=staff, session=session_a)
    session_a.refresh_from_db()
    actions = session_actions(staff, session_a)
    assert actions.edit and not actions.issue_codes and not actions.close_voting
    services.cycle_close(actor=staff, cycle=open_cycle)
    session_a.refresh_from_db()
    appraisal.refresh_from_db()
    assert not any(vars(session_actions(staff, session_a)).values())
    assert not appraisal_actions(staff, appraisal).score


def test_cycle_page_shows_only_the_allowed_buttons(client, staff, cadres_a):
    client.force_login(staff)
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    url = cycle.get_absolute_url()

    def shown():
        page = client.get(url).content.decode()
        targets = {
            "edit": reverse("assessment:cycle_update", args=[cycle.pk]),
            "session": reverse("assessment:session_create", args=[cycle.pk]),
            "start": reverse("assessment:cycle_start", args=[cycle.pk]),
            "recalculate": reverse("assessment:cycle_recalculate", args=[cycle.pk]),
            "close": reverse("assessment:cycle_close", args=[cycle.pk]),
        }
        return {name for name, target in targets.items() if f'"{target}"' in page}

    assert shown() == {"edit", "session", "start"}
    services.cycle_start(actor=staff, cycle=cycle)
    assert shown() == {"edit", "session", "recalculate", "close"}
    score = reverse("assessment:appraisal_update", args=[cycle.appraisals.first().pk])
    assert score in client.get(url).content.decode()
    services.cycle_close(actor=staff, cycle=cycle)
    assert shown() == set()
    assert "/edit/" not in client.get(url).content.decode().split('data-testid="appraisals"')[1]


def test_session_page_shows_only_the_allowed_buttons(client, staff, open_cycle, session_a):
    client.force_login(staff)
    url = session_a.get_absolute_url()
    edit = reverse("assessment:session_update", args=[session_a.pk])
    paper = reverse("assessment:session_paper", args=[session_a.pk])
    close_voting = reverse("assessment:session_close_voting", args=[session_a.pk])
    issue = reverse("assessment:session_codes_issue", args=[session_a.pk])
    page = client.get(url).content.decode()
    assert all(f'"{t}"' in page for t in (edit, paper, close_voting, issue))
    assert 'hx-trigger="every 5s"' in page  # voting is live: the tally refreshes itself
    services.session_close_voting(actor=staff, session=session_a)
    page = client.get(url).content.decode()
    assert f'"{edit}"' in page and f'"{paper}"' in page
    assert f'"{close_voting}"' not in page and f'"{issue}"' not in page and 'hx-trigger="every 5s"' not in page
    services.cycle_close(actor=staff, cycle=open_cycle)
    page = client.get(url).content.decode()
    assert not any(f'"{t}"' in page for t in (edit, paper, close_voting, issue))


def test_result_sheet_offers_scoring_to_staff_only_while_open(client, staff, secretary_a, open_cycle):
    appraisal = open_cycle.appraisals.get(cadre__name="张国华")
    score_url = reverse("assessment:appraisal_update", args=[appraisal.pk])
    client.force_login(staff)
    assert score_url in client.get(appraisal.get_absolute_url()).content.decode()
    services.cycle_close(actor=staff, cycle=open_cycle)
    assert score_url not in client.get(appraisal.get_absolute_url()).content.decode()
    client.force_login(secretary_a)
    response = client.get(appraisal.get_absolute_url())
    assert response.status_code == 200 and score_url not in response.content.decode()


@pytest.mark.parametrize("year", ["²", "99999", "0", "-1", "abc", "2005.5", ""])
def test_year_in_the_query_string_never_fails(client, staff, cadres_a, year):
    client.force_login(staff)
    for name in ("training_event_list", "training_hours"):
        assert client.get(reverse(f"assessment:{name}"), {"year": year}).status_code == 200, name


def test_training_list_filters_by_year(client, staff):
    from datetime import date

    from tests.assessment.factories import TrainingEventFactory

    TrainingEventFactory(title="二〇〇五年培训", start_date=date(2005, 3, 1), end_date=date(2005, 3, 1))
    TrainingEventFactory(title="二〇〇四年培训", start_date=date(2004, 3, 1), end_date=date(2004, 3, 1))
    client.force_login(staff)
    page = client.get(reverse("assessment:training_event_list"), {"year": "2005"}).content.decode()
    assert "二〇〇五年培训" in page and "二〇〇四年培训" not in page
    page = client.get(reverse("assessment:training_event_list"), {"year": "²"}).content.decode()
    assert "二〇〇五年培训" in page and "二〇〇四年培训" in page
