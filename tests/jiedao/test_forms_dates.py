"""Dates as people type them (finding 13): every date field of every form is a text box read by
one parser (2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日, 2026年1月5日, full-width digits), a
typed date comes back as typed when the form has errors, and imports read date cells the same way."""

import inspect
from datetime import date

import django_filters
import pytest
from django import forms
from django.urls import reverse

import assessment.forms
import communities.forms
import disclosure.forms
import jiedao.filters
import jiedao.forms
import showcase.forms
from communities.models import PartyMember
from jiedao.dates import parse_date_text
from jiedao.forms import DateInput
from jiedao.imports import CellError, DateWidget
from tests.communities.factories import valid_id_number

TYPED = {
    "2026-11-30": date(2026, 11, 30),
    "2026/11/30": date(2026, 11, 30),
    "2026.11.30": date(2026, 11, 30),
    "2026年11月30日": date(2026, 11, 30),
    "2026年1月5日": date(2026, 1, 5),
    "２０２６年１月５日": date(2026, 1, 5),
    " 2026 年 1 月 5 日 ": date(2026, 1, 5),
    "2026年1月5号": date(2026, 1, 5),
    "2026-1-5": date(2026, 1, 5),
}
REFUSED = ["2026-02-30", "2026年13月1日", "30/11/2026", "明天", "2026"]


@pytest.mark.parametrize(("text", "expected"), TYPED.items())
def test_the_parser_reads_the_usual_ways_of_writing_a_date(text, expected):
    assert parse_date_text(text) == expected


@pytest.mark.parametrize("text", REFUSED)
def test_the_parser_refuses_what_is_not_a_date(text):
    assert parse_date_text(text) is None


def _date_fields():
    """(form, field name) for every date field of every form and every date filter of the project."""
    for module in (communities.forms, showcase.forms, assessment.forms, disclosure.forms, jiedao.forms, jiedao.filters):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseForm):
                yield from ((cls, f) for f, field in cls.base_fields.items() if isinstance(field, forms.DateField))
            elif issubclass(cls, django_filters.FilterSet):
                yield from (
                    (cls, f) for f, flt in cls.base_filters.items() if isinstance(flt, django_filters.DateFilter)
                )


DATE_FIELDS = list(_date_fields())


def _field(cls, name):
    return cls.base_fields[name] if issubclass(cls, forms.BaseForm) else cls.base_filters[name].field


def test_the_scan_finds_the_date_fields_of_every_app():
    found = {cls.__name__ for cls, _name in DATE_FIELDS}
    for expected in ("CadreForm", "PartyMemberForm", "FundingForm", "InspectionForm", "RectificationForm"):
        assert expected in found
    assert {"NoticeForm", "TrainingEventForm", "SiteAcceptForm", "AuditLogFilter"} <= found


@pytest.mark.django_db
@pytest.mark.parametrize(("cls", "name"), DATE_FIELDS, ids=[f"{c.__name__}.{n}" for c, n in DATE_FIELDS])
def test_every_date_field_is_a_text_box_that_reads_chinese_dates(cls, name):
    field = _field(cls, name)
    assert isinstance(field.widget, DateInput), f"{cls.__name__}.{name} uses {type(field.widget).__name__}"
    assert field.widget.input_type == "text"
    for text, expected in TYPED.items():
        typed = field.widget.value_from_datadict({name: text}, {}, name)
        assert field.clean(typed) == expected, (cls.__name__, name, text)


@pytest.mark.django_db
def test_a_typed_date_comes_back_as_typed_and_saves_once_the_form_is_right(client, secretary_a, community_a):
    client.force_login(secretary_a)
    url = reverse("communities:partymember_create", args=[community_a.pk])
    data = {
        "name": "张三",
        "gender": "male",
        "birth_date": "1970年1月5日",
        "id_number": valid_id_number(7, date(1970, 1, 5)),
        "mobile": "123",  # wrong: the form comes back
        "joined_on": "2001.7.1",
        "category": "full",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="1970年1月5日"' in html and 'value="2001.7.1"' in html
    assert not PartyMember.objects.exists()
    data["mobile"] = "13800138000"
    assert client.post(url, data).status_code == 302
    member = PartyMember.objects.get()
    assert (member.birth_date, member.joined_on) == (date(1970, 1, 5), date(2001, 7, 1))


@pytest.mark.django_db
def test_a_wrong_date_says_how_to_write_one(client, secretary_a, community_a):
    client.force_login(secretary_a)
    url = reverse("communities:partymember_create", args=[community_a.pk])
    html = client.post(url, {"name": "张三", "gender": "male", "birth_date": "1970年2月30日"}).content.decode()
    assert 'value="1970年2月30日"' in html
    assert "日期" in html


@pytest.mark.django_db
def test_the_audit_filter_reads_a_chinese_date(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("jiedao:audit_log"), {"date_from": "2026年6月1日"})
    assert page.status_code == 200 and 'value="2026年6月1日"' in page.content.decode()


@pytest.mark.parametrize(("text", "expected"), TYPED.items())
def test_import_cells_read_dates_as_the_forms_do(text, expected):
    assert DateWidget().clean(text) == expected


def test_an_import_cell_that_is_no_date_is_refused():
    with pytest.raises(CellError):
        DateWidget().clean("2026年2月30日")
