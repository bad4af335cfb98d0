"""The showcase action sets follow the roles and each object's state, and the pages offer exactly
the actions the sets allow."""

import pytest
from django.urls import reverse

from jiedao.permissions import (
    inspection_actions,
    programme_actions,
    rectification_actions,
    site_actions,
)
from showcase import services
from tests.showcase.factories import make_site, png

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"showcase:{name}", args=args)


def page(client, user, target) -> str:
    client.force_login(user)
    response = client.get(target)
    assert response.status_code == 200
    return response.content.decode()


def test_programme_actions_by_role(staff, inspector, auditor, programme):
    assert programme_actions(staff, programme).edit and not programme_actions(staff, programme).record_inspection
    assert programme_actions(inspector, programme).record_inspection and not programme_actions(inspector).edit
    assert programme_actions(auditor, programme) == programme_actions(auditor)
    assert not programme_actions(auditor).edit and not programme_actions(auditor).record_inspection


def test_site_actions_follow_the_site_state(staff, inspector, secretary_a, programme, community_a, community_b):
    applied = make_site(staff, programme, community_b, start=False)
    building = make_site(staff, programme, community_a)
    assert site_actions(staff, applied).start and not site_actions(staff, applied).accept
    assert site_actions(staff, building).accept and not site_actions(staff, building).start
    assert site_actions(staff, building).edit and site_actions(staff, building).read_inspections

    as_inspector = site_actions(inspector, building)
    assert as_inspector.update_checks and not (as_inspector.edit or as_inspector.start or as_inspector.accept)

    as_secretary = site_actions(secretary_a, building)
    assert as_secretary.via_my_sites and not as_secretary.read_inspections
    assert not (as_secretary.edit or as_secretary.update_checks or as_secretary.accept)


def test_rectification_actions_follow_the_review_steps(inspector, secretary_a, staff, world):
    item = world["item"]
    assert rectification_actions(secretary_a, item).report
    assert not rectification_actions(inspector, item).verify
    assert not rectification_actions(staff, item).report
    item = services.rectification_report(actor=secretary_a, rectification=item, note="已更新", photo=png())
    assert not rectification_actions(secretary_a, item).report
    assert rectification_actions(inspector, item).verify
    assert not rectification_actions(staff, item).verify
    assert inspection_actions(inspector, world["inspection"]).open_rectification
    assert not inspection_actions(staff, world["inspection"]).open_rectification


def test_pages_offer_only_the_allowed_actions(client, staff, inspector, secretary_a, world, programme, community_b):
    p, site, item = programme.pk, world["site"], world["item"]
    applied = make_site(staff, programme, community_b, start=False)

    listing = page(client, staff, url("programme_list"))
    assert url("programme_create") in listing
    assert url("programme_create") not in page(client, inspector, url("programme_list"))

    as_staff = page(client, staff, url("programme_detail", p))
    assert url("site_create", p) in as_staff and url("inspection_create", p) not in as_staff
    as_inspector = page(client, inspector, url("programme_detail", p))
    assert url("inspection_create", p) in as_inspector and url("site_create", p) not in as_inspector
    assert url("funding_export") not in as_inspector

    started = page(client, staff, url("site_detail", site.pk))
    assert url("site_accept", site.pk) in started and url("site_start", site.pk) not in started
    waiting = page(client, staff, url("site_detail", applied.pk))
    assert url("site_start", applied.pk) in waiting and url("site_accept", applied.pk) not in waiting
    by_inspector = page(client, inspector, url("site_detail", site.pk))
    assert url("check_update", world["check"].pk) in by_inspector and url("site_update", site.pk) not in by_inspector
    by_secretary = page(client, secretary_a, url("site_detail", site.pk))
    assert url("site_mine") in by_secretary and url("inspection_detail", world["inspection"].pk) not in by_secretary
    assert url("funding_delete", world["funding"].pk) not in by_secretary

    assert url("rectification_create", world["inspection"].pk) in page(
        client, inspector, url("inspection_detail", world["inspection"].pk)
    )
    assert url("rectification_report", item.pk) in page(client, secretary_a, url("rectification_detail", item.pk))
    assert url("rectification_close", item.pk) not in page(client, inspector, url("rectification_detail", item.pk))
    services.rectification_report(actor=secretary_a, rectification=item, note="已更新", photo=png())
    reported = page(client, inspector, url("rectification_detail", item.pk))
    assert url("rectification_close", item.pk) in reported and url("rectification_return", item.pk) in reported
    assert url("rectification_report", item.pk) not in page(client, secretary_a, url("rectification_detail", item.pk))
