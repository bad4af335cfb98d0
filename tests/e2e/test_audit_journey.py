"""The auditor signs in, filters the change log by a person and a date, and reads a change in
Chinese: the field's Chinese name, a choice label instead of its code, the time in Beijing time."""

from datetime import date

import pytest
from auditlog.context import set_actor
from django.utils import timezone
from django.utils.translation import override

from showcase import services
from showcase.choices import RectificationStatus
from showcase.models import Rectification, StandardCheck
from tests.e2e.conftest import assert_accessible, login
from tests.showcase.factories import check_of, make_programme, make_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """A transactional test flushes the tables after it, the role groups of the data migration too."""
    from django.contrib.auth.models import Group

    from jiedao.permissions import ROLE_GROUPS

    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)


def test_auditor_filters_by_person_and_date_and_reads_the_change_in_chinese(
    page, staff, inspector, auditor, community_a
):
    programme = make_programme(staff)  # staff's entries: filtered out below
    site = make_site(staff, programme, community_a)
    check = check_of(site, "A")
    with set_actor(inspector):  # as the request middleware does
        services.check_record(actor=inspector, check=check, met=True)
        services.rectification_open(
            actor=inspector,
            rectification=Rectification(
                site=site, standard=check.standard, description="公开栏未更新", deadline=date(2099, 1, 1)
            ),
        )
    checked_at = timezone.localtime(StandardCheck.objects.get(pk=check.pk).checked_at)  # Beijing time
    today = timezone.localdate().isoformat()
    with override("zh-hans"):
        status_name = str(Rectification._meta.get_field("status").verbose_name)
        open_label = str(RectificationStatus.OPEN.label)
        met_name = str(StandardCheck._meta.get_field("met").verbose_name)

    login(page, auditor)
    page.goto("/subdistrict/audit/")
    page.get_by_label("人员").select_option(label="inspector1")
    page.get_by_label("起始日期").fill(today)
    page.get_by_label("截止日期").fill(today)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()

    table = page.get_by_test_id("audit-table")
    text = table.inner_text()
    assert "inspector1" in text and "staff1" not in text  # only the chosen person
    assert f"{status_name}：— → {open_label}" in text  # the field's Chinese name and the choice label
    assert f"{met_name}：否 → 是" in text
    assert checked_at.strftime("%Y-%m-%d %H:%M:%S") in text  # a time inside a change, in Beijing time
    assert "新增" in text and "修改" in text and "update" not in text and "None" not in text
    assert "争创区级党建示范点" not in text  # staff's programme: another person
    assert_accessible(page)
