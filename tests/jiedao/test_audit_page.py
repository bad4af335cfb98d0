"""The auditor's page: every entry kind renders (m2m included), in Chinese, in Beijing time, masked,
filterable by person, date, record type and action, exportable as XLSX and CSV."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from communities.services import party_member_save
from showcase import services as showcase_services
from showcase.choices import InspectionKind
from showcase.models import Inspection, StandardCheck
from tests.communities.factories import PartyMemberFactory
from tests.matrix import STAFF_ONLY, check_matrix
from tests.showcase.factories import check_of, make_programme, make_site

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
ID_NUMBER = "110101199003071234"
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_of(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("jiedao:audit_log"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_export_matrix(personas):
    check_matrix(personas, reverse("jiedao:audit_log_export"), {**STAFF_ONLY, "auditor": 200})


def test_a_page_with_many_to_many_entries_renders(client, staff, inspector, auditor, community_a, community_b):
    """The attack: an inspection with sites (and a user's groups) put an m2m entry on the page,
    which crashed it with KeyError: 0 and hid every newer entry from the auditor."""
    programme = make_programme(staff)
    site_a = make_site(staff, programme, community_a, theme="农家乐旅游")
    site_b = make_site(staff, programme, community_b, theme="土地流转")
    showcase_services.inspection_record(
        actor=inspector,
        inspection=Inspection(
            programme=programme, kind=InspectionKind.WEEKLY, date=date(2005, 5, 9), participants="组"
        ),
        sites=[site_a, site_b],
    )
    assert LogEntry.objects.filter(changes__sites__type="m2m").exists()  # the kind of entry that crashed
    page = page_of(client, auditor)
    assert "督查" in page or "检查" in page or "Inspection" not in page
    assert "添加" in page and str(site_a) in page and str(site_b) in page
    export = client.get(reverse("jiedao:audit_log_export"), {"format": "csv"})
    assert export.status_code == 200 and str(site_a) in export.content.decode("utf-8-sig")


def test_group_grants_render(client, auditor, make_user):
    from django.contrib.auth.models import Group

    user = make_user("newcomer")
    user.groups.add(Group.objects.create(name="街道审计组"))
    page = page_of(client, auditor)
    assert "街道审计组" in page and "添加" in page


def test_changes_read_in_chinese_with_labels_and_beijing_time(client, staff, inspector, auditor, community_a):
    programme = make_programme(staff)
    site = make_site(staff, programme, community_a)
    check = check_of(site, "A")
    moment = datetime(2026, 3, 1, 2, 5, 0, tzinfo=UTC)  # 10:05 in Beijing
    LogEntry.objects.log_create(
        check,
        action=LogEntry.Action.UPDATE,
        changes={"met": ["False", "True"], "checked_at": ["None", str(moment)]},
        actor=inspector,
    )
    page = page_of(client, auditor, content_type=ContentType.objects.get_for_model(StandardCheck).pk)
    met = StandardCheck._meta.get_field("met").verbose_name
    checked_at = StandardCheck._meta.get_field("checked_at").verbose_name
    assert f"{met}：否 → 是" in page
    assert f"{checked_at}：— → 2026-03-01 10:05:00" in page  # Beijing time inside the change
    assert "修改" in page and ">update<" not in page and "None" not in page
    assert str(StandardCheck._meta.verbose_name) in page


def test_choice_values_show_their_labels(client, staff, auditor, community_a):
    member = PartyMemberFactory(community=community_a)
    field = member._meta.get_field("gender")
    (old, old_label), (new, new_label) = list(field.flatchoices)[:2]
    LogEntry.objects.log_create(member, action=LogEntry.Action.UPDATE, changes={"gender": [old, new]}, actor=staff)
    page = page_of(client, auditor)
    assert f"{field.verbose_name}：{old_label} → {new_label}" in page


def test_numbers_in_free_text_and_id_parts_are_masked(client, staff, auditor, community_a):
    member = PartyMemberFactory(community=community_a, mobile="13900001111")
    member.mobile = "13987654321"
    member.birth_date = date(1990, 3, 7)
    party_member_save(actor=staff, member=member)
    LogEntry.objects.log_create(
        community_a,
        action=LogEntry.Action.UPDATE,
        changes={"name": ["秀水社区", f"秀水社区 电话{PHONE} 身份证{ID_NUMBER}"]},
        actor=staff,
    )
    page = page_of(client, auditor)
    export = client.get(reverse("jiedao:audit_log_export"), {"format": "csv"}).content.decode("utf-8-sig")
    for shown in (page, export):
        assert PHONE not in shown and ID_NUMBER not in shown and "13987654321" not in shown
        assert member.id_number not in shown and member.id_number[-9:] not in shown  # no tail to rebuild from
        assert "1990-03-07" not in shown  # the birth date shows its year only


def test_filters_by_person_date_type_and_action(client, staff, inspector, auditor, community_a):
    LogEntry.objects.log_create(community_a, action=LogEntry.Action.UPDATE, changes={"name": ["x", "甲"]}, actor=staff)
    LogEntry.objects.log_create(
        community_a, action=LogEntry.Action.CREATE, changes={"name": ["x", "乙"]}, actor=inspector
    )
    # 2026-05-31 17:00 UTC is 1 June in Beijing: the date filter uses Beijing dates
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(community_a),
        object_pk=str(community_a.pk),
        object_id=community_a.pk,
        object_repr=str(community_a),
        action=LogEntry.Action.UPDATE,
        changes={"name": ["x", "丙"]},
        actor=staff,
        timestamp=datetime(2026, 5, 31, 17, 0, tzinfo=UTC),
    )
    by_person = page_of(client, auditor, actor=inspector.pk)
    assert "乙" in by_person and "甲" not in by_person and "丙" not in by_person
    by_date = page_of(client, auditor, date_from="2026-06-01", date_to="2026-06-01")
    assert "丙" in by_date and "甲" not in by_date and "2026-06-01 01:00:00" in by_date
    by_action = page_of(client, auditor, action=LogEntry.Action.CREATE)
    assert "乙" in by_action and "甲" not in by_action
    by_type = page_of(client, auditor, content_type=ContentType.objects.get_for_model(StandardCheck).pk)
    assert "甲" not in by_type and "乙" not in by_type
    junk = page_of(client, auditor, action="nonsense", date_from="not-a-date")  # 200: a bad filter never errors
    assert "甲" in junk


def test_pages_of_fifty(client, staff, auditor, community_a):
    for i in range(55):
        LogEntry.objects.log_create(
            community_a, action=LogEntry.Action.UPDATE, changes={"name": ["x", f"第{i}号"]}, actor=staff
        )
    first = page_of(client, auditor, actor=staff.pk)
    second = page_of(client, auditor, actor=staff.pk, page=2)
    assert "第54号" in first and "第0号" not in first and "第0号" in second


def test_xlsx_export_is_filtered_and_in_chinese(client, staff, inspector, auditor, community_a):
    LogEntry.objects.log_create(community_a, action=LogEntry.Action.UPDATE, changes={"name": ["x", "甲"]}, actor=staff)
    LogEntry.objects.log_create(
        community_a, action=LogEntry.Action.UPDATE, changes={"name": ["x", f"=HYPERLINK({PHONE})"]}, actor=inspector
    )
    client.force_login(auditor)
    response = client.get(reverse("jiedao:audit_log_export"), {"actor": inspector.pk})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["时间", "用户", "操作"]
    assert len(rows) == 2 and rows[1][2] == "修改"
    text = " ".join(str(v) for v in rows[1])
    assert PHONE not in text and "甲" not in text
    assert not str(rows[1][5]).startswith("=")  # formula escaped by jiedao/spreadsheets.py
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("jiedao:audit_log_export"), {"format": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert len(csv_rows) >= 3


def test_every_time_column_is_beijing_time(client, staff, auditor, community_a):
    entry = LogEntry.objects.log_create(
        community_a, action=LogEntry.Action.UPDATE, changes={"name": ["x", "甲"]}, actor=staff
    )
    local = timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S")
    assert local in page_of(client, auditor)
