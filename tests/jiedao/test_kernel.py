"""The shared kernel the apps build on: scoped querysets, fetch-or-404, users by role, the view kit
and the spreadsheet module."""

import datetime
import io

import openpyxl
import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import FormView

from communities.models import Community
from jiedao.permissions import Role, get_visible_or_404, users_with_role, visible_to
from jiedao.spreadsheets import dataset_bytes, escape_cell, spreadsheet_response, unescape_cell, workbook_bytes
from jiedao.viewkit import (
    ServiceActionView,
    ServiceFormMixin,
    add_service_errors,
    protected_file_response,
    year_param,
)

rf = RequestFactory()


# -- year_param ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, 2005),
        ({"year": ""}, 2005),
        ({"year": "2004"}, 2004),
        ({"year": " 2004 "}, 2004),
        ({"year": "²"}, 2005),  # a digit to str.isdigit(), not to int()
        ({"year": "٢٠٠٤"}, 2005),  # Arabic-Indic digits: int() reads them, we do not
        ({"year": "99999"}, 2005),
        ({"year": "9" * 5000}, 2005),
        ({"year": "1948"}, 2005),
        ({"year": "1949"}, 1949),
        ({"year": "2100"}, 2100),
        ({"year": "2101"}, 2005),
        ({"year": "-2004"}, 2005),
        ({"year": "2004.0"}, 2005),
        ({"year": "abc"}, 2005),
    ],
)
def test_year_param_never_raises(query, expected):
    assert year_param(rf.get("/", query), 2005) == expected


def test_year_param_reads_the_named_parameter():
    assert year_param(rf.get("/", {"from": "2003", "year": "2004"}), 2005, name="from") == 2003


# -- the formula escape ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "'=1+1", "'plain", "'", "''x", '=HYPERLINK("x")'],
)
def test_dangerous_cells_get_a_quote_and_read_back_unchanged(value):
    escaped = escape_cell(value)
    assert escaped == "'" + value
    assert unescape_cell(escaped) == value


@pytest.mark.parametrize("value", ["张三", "a=b", "1-2", "", None, 3, 2.5, datetime.date(2005, 1, 1)])
def test_harmless_cells_are_unchanged(value):
    assert escape_cell(value) == value
    assert unescape_cell(value) == value


def test_xlsx_export_escapes_every_cell_and_header():
    response = spreadsheet_response(
        ["=head", "名称"], [["=cmd|' /C calc'!A0", "\nline"], ["'quoted", 7]], filename="表", fmt="xlsx"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["'=head", "名称"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "'\nline"]
    assert rows[2] == ["''quoted", 7]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_export_is_utf8_with_bom_and_escaped():
    import tablib

    data = tablib.Dataset(["=1", "社区"], headers=["a", "b"])
    text = dataset_bytes(data, "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=1,社区" in text


def test_a_workbook_built_by_hand_is_escaped_too():
    book = openpyxl.Workbook()
    book.active.append(["@x", "ok", 1])
    book.create_sheet("二").append(["\rx"])
    back = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    assert [c.value for c in back.worksheets[0][1]] == ["'@x", "ok", 1]
    assert back.worksheets[1]["A1"].value in ("'\rx", "'\nx")  # XML reads a CR back as LF; the quote stays


# -- protected downloads ---------------------------------------------------------------------------------


def test_a_download_is_sandboxed_unsniffed_and_private(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("page.html", ContentFile(b"<script>alert(1)</script>"))

    class Holder:
        pass

    from django.db.models.fields.files import FieldFile

    field = type("F", (), {"storage": storage, "name": "file"})()
    fieldfile = FieldFile(Holder(), field, name)
    response = protected_file_response(fieldfile, filename="页面.html", content_type="text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    for closer in response._resource_closers:  # close the file without the request_finished signal
        closer()

    storage.delete(name)
    with pytest.raises(Http404):
        protected_file_response(FieldFile(Holder(), field, name), filename="x.html")
    with pytest.raises(Http404):
        protected_file_response(FieldFile(Holder(), field, None), filename="x.html")


# -- scoping ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restrict_over_a_many_to_many_gives_each_row_once(staff, secretary_a, secretary_b, community_a, inspector):
    from showcase import services
    from showcase.models import Inspection, InspectionKind
    from tests.showcase.factories import make_programme, make_site

    programme = make_programme(staff)
    second = services.programme_save(actor=staff, programme=type(programme)(year=2006, name="第二批"))
    sites = [make_site(staff, programme, community_a, theme="一"), make_site(staff, second, community_a, theme="二")]
    inspection = Inspection.objects.create(
        programme=programme,
        kind=InspectionKind.choices[0][0],
        date=datetime.date(2005, 5, 1),
        participants="督查组",
        recorded_by=inspector,
    )
    inspection.sites.set(sites)  # both sites in community A: a plain join would give the row twice

    assert list(Inspection.objects.restrict(secretary_a)) == [inspection]
    assert Inspection.objects.restrict(secretary_a).count() == 1
    assert list(visible_to(secretary_a, Inspection.objects.all())) == [inspection]
    assert list(Inspection.objects.restrict(secretary_b)) == []
    assert list(Inspection.objects.restrict(staff)) == [inspection]
    assert get_visible_or_404(secretary_a, Inspection, pk=inspection.pk) == inspection
    with pytest.raises(Http404):
        get_visible_or_404(secretary_b, Inspection, pk=inspection.pk)


@pytest.mark.django_db
def test_get_visible_or_404_treats_out_of_scope_like_missing(secretary_a, community_a, community_b, resident):
    assert get_visible_or_404(secretary_a, Community.objects.all(), pk=community_a.pk) == community_a
    for user, pk in [(secretary_a, community_b.pk), (secretary_a, 999_999), (resident, community_a.pk)]:
        with pytest.raises(Http404):
            get_visible_or_404(user, Community, pk=pk)


@pytest.mark.django_db
def test_users_with_role(make_user, staff, secretary_a, secretary_b, community_a, community_b):
    make_user("gone", Role.STAFF, is_active=False)
    assert list(users_with_role(Role.STAFF)) == [staff]
    assert set(users_with_role(Role.SECRETARY)) == {secretary_a, secretary_b}
    assert list(users_with_role(Role.SECRETARY, community_a)) == [secretary_a]
    assert list(users_with_role(Role.SECRETARY, community_b.pk)) == [secretary_b]
    assert set(users_with_role(Role.SECRETARY, [community_a.pk, community_b.pk])) == {secretary_a, secretary_b}
    assert list(users_with_role(Role.STAFF, community_a)) == []


# -- the view kit ----------------------------------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method="post", data=None, user=None):
    request = getattr(rf, method)("/", data or {})
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    if user is not None:
        request.user = user
    return request


def test_add_service_errors_puts_field_errors_on_fields():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "名称重复", "other": "别的问题"}))
    assert form.errors["name"] == ["名称重复"]
    assert form.non_field_errors() == ["别的问题"]
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_errors(form, ValidationError("整体错误"))
    assert form.non_field_errors() == ["整体错误"]


@pytest.mark.django_db
def test_service_form_mixin_maps_errors_and_saves_nothing(community_a):
    class View(ServiceFormMixin, FormView):
        form_class = NameForm
        template_name = "base.html"
        success_message = "已保存"

        def save(self, form):
            Community.objects.filter(pk=community_a.pk).update(name=form.cleaned_data["name"])
            if form.cleaned_data["name"] == "bad":
                raise ValidationError({"name": "不行"})
            return "/done/"

    response = View.as_view()(_request(data={"name": "bad"}))
    assert response.status_code == 200
    assert response.context_data["form"].errors["name"] == ["不行"]
    community_a.refresh_from_db()
    assert community_a.name == "秀水社区"  # the half-done write was rolled back

    request = _request(data={"name": "新名"})
    response = View.as_view()(request)
    assert (response.status_code, response.url) == (302, "/done/")
    assert [m.message for m in get_messages(request)] == ["已保存"]


@pytest.mark.django_db
def test_service_action_view_scopes_and_reports_errors(secretary_a, community_a, community_b):
    class Action(ServiceActionView):
        model = Community
        success_message = "完成"

        def act(self, obj):
            if obj.name == "秀水社区":
                raise ValidationError("已关闭，不能操作")
            return "/next/"

        def get_error_url(self, obj):
            return f"/c/{obj.pk}/"

    request = _request(user=secretary_a)
    response = Action.as_view()(request, pk=community_a.pk)
    assert (response.status_code, response.url) == (302, f"/c/{community_a.pk}/")
    assert [m.message for m in get_messages(request)] == ["已关闭，不能操作"]

    with pytest.raises(Http404):
        Action.as_view()(_request(user=secretary_a), pk=community_b.pk)
    assert Action.as_view()(_request("get", user=secretary_a), pk=community_a.pk).status_code == 405

    Community.objects.filter(pk=community_a.pk).update(name="新秀水")
    request = _request(user=secretary_a)
    response = Action.as_view()(request, pk=community_a.pk)
    assert response.url == "/next/"
    assert [m.message for m in get_messages(request)] == ["完成"]
