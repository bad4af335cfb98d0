"""Monthly-update pages: the stale-form conflict, a failed form keeping what was typed, the staff
overview and its export, the community page section (the permission matrix is in test_matrix.py)."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from communities.choices import MonthlyStatus
from communities.models import MonthlyUpdate
from communities.periods import local_today
from communities.services import (
    monthly_update_accept,
    monthly_update_return,
    monthly_update_save,
    monthly_update_submit,
)
from tests.communities.factories import CommunityFactory
from tests.communities.monthly_helpers import CONTENT, at, form_data, make_update, picture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(secretary_a, community_a):
    update = make_update(secretary_a, community_a)
    return monthly_update_save(actor=secretary_a, update=update, data={}, version=1, photos=[picture()])


def post_as(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


# -- permission matrix ---------------------------------------------------------------------------


def test_secretary_b_cannot_create_for_community_a_by_any_parameter(client, secretary_b, community_a, community_b):
    response = post_as(
        client,
        secretary_b,
        reverse("communities:monthly_update_create"),
        {**form_data(), "month": "2005-03", "community": community_a.pk},
    )
    update = MonthlyUpdate.objects.get()
    assert response.status_code == 302 and update.community == community_b


# -- no lost work ------------------------------------------------------------------------------------


def test_the_second_save_of_a_stale_form_shows_the_conflict_and_overwrites_nothing(client, secretary_a, draft):
    edit = reverse("communities:monthly_update_update", args=[draft.pk])
    client.force_login(secretary_a)
    stale_version = draft.version
    first = client.post(edit, form_data(draft, key_work="甲保存的重点工作", action="save"))
    assert first.status_code == 302
    second = client.post(edit, form_data(draft, key_work="乙输入的重点工作", action="save"))
    assert second.status_code == 409
    page = second.content.decode()
    assert "您的修改尚未保存" in page and "没有任何内容被覆盖" in page
    conflict = page[page.index('data-testid="conflict"') :]
    assert "本月重点工作" in conflict and "甲保存的重点工作" in conflict and "乙输入的重点工作" in conflict
    assert 'name="key_work"' in page and "乙输入的重点工作</textarea>" in page  # still in the form
    draft.refresh_from_db()
    assert draft.key_work == "甲保存的重点工作" and draft.version == stale_version + 1
    # saving again from the conflict page is a deliberate choice and goes through
    assert f'name="version" value="{draft.version}"' in page
    third = client.post(edit, form_data(draft, key_work="乙输入的重点工作", action="save"))
    assert third.status_code == 302
    draft.refresh_from_db()
    assert draft.key_work == "乙输入的重点工作"


def test_a_failed_form_keeps_everything_typed(client, secretary_a, draft):
    edit = reverse("communities:monthly_update_update", args=[draft.pk])
    client.force_login(secretary_a)
    data = form_data(draft, key_work="我刚写好的长段文字", collective_income="很多", theme_days="-1")
    response = client.post(edit, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "我刚写好的长段文字</textarea>" in page and 'value="很多"' in page
    assert "请改正下面标出的错误" in page
    draft.refresh_from_db()
    assert draft.key_work == CONTENT["key_work"]


def test_a_failed_create_keeps_everything_typed(client, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("communities:monthly_update_create"), {**form_data(key_work="新写的内容"), "month": "2005-13"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请输入月份" in page and "新写的内容</textarea>" in page
    assert not MonthlyUpdate.objects.exists()


def test_a_fake_picture_is_refused_by_the_form(client, secretary_a, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretary_a)
    fake = SimpleUploadedFile("photo.png", b"<html>not a picture</html>", content_type="image/png")
    response = client.post(
        reverse("communities:monthly_update_update", args=[draft.pk]),
        {**form_data(draft, key_work="保留"), "photos": [fake]},
    )
    assert response.status_code == 200 and "不是 JPEG 或 PNG 图片" in response.content.decode()
    assert draft.photos.count() == 1


# -- the secretary's way through -------------------------------------------------------------------


def test_secretary_files_and_submits_in_one_go(client, secretary_a, community_a):
    client.force_login(secretary_a)
    response = client.post(
        reverse("communities:monthly_update_create"),
        {**form_data(), "month": "2005-03", "action": "submit", "photos": [picture()]},
    )
    update = MonthlyUpdate.objects.get()
    assert response.url == update.get_absolute_url()
    assert update.status == MonthlyStatus.SUBMITTED and update.photos.count() == 1
    page = client.get(update.get_absolute_url()).content.decode()
    assert "已提交" in page and "已提交的月报不能修改" in page
    # an attempt to edit it goes back to the read-only page
    edit = client.get(reverse("communities:monthly_update_update", args=[update.pk]))
    assert edit.status_code == 302 and edit.url == update.get_absolute_url()


def test_create_link_for_an_existing_month_opens_it(client, secretary_a, draft):
    client.force_login(secretary_a)
    response = client.get(reverse("communities:monthly_update_create") + "?period=2005-03")
    assert response.url == draft.get_absolute_url()
    # without a month asked for, the form proposes last month
    from django.utils import timezone

    from communities.periods import previous_month

    page = client.get(reverse("communities:monthly_update_create")).content.decode()
    assert f'value="{previous_month(timezone.localdate()):%Y-%m}"' in page


def test_secretary_sees_the_return_comment(client, secretary_a, staff, draft):
    sent = monthly_update_submit(actor=secretary_a, update=draft, version=draft.version)
    client.force_login(staff)
    client.post(
        reverse("communities:monthly_update_return", args=[sent.pk]),
        {"version": sent.version, "comment": "请补充参加人数"},
    )
    client.force_login(secretary_a)
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert "退回意见" in detail and "请补充参加人数" in detail and "已退回" in detail
    edit = client.get(reverse("communities:monthly_update_update", args=[sent.pk])).content.decode()
    assert "请补充参加人数" in edit


def test_returning_without_a_comment_is_refused(client, staff, secretary_a, draft):
    sent = monthly_update_submit(actor=secretary_a, update=draft, version=draft.version)
    client.force_login(staff)
    response = client.post(
        reverse("communities:monthly_update_return", args=[sent.pk]), {"version": sent.version, "comment": ""}
    )
    assert response.status_code == 200 and "退回前请写明需要修改的内容" in response.content.decode()
    assert MonthlyUpdate.objects.get(pk=sent.pk).status == MonthlyStatus.SUBMITTED


def test_detail_query_count_does_not_grow_with_its_timeline(
    client, staff, secretary_a, draft, django_assert_max_num_queries
):
    client.force_login(secretary_a)
    update = monthly_update_submit(actor=secretary_a, update=draft, version=draft.version)
    update = monthly_update_return(actor=staff, update=update, version=update.version, comment="先改")
    with django_assert_max_num_queries(30) as few:
        client.get(draft.get_absolute_url())
    for _round in range(3):
        update = monthly_update_submit(actor=secretary_a, update=update, version=update.version)
        update = monthly_update_return(actor=staff, update=update, version=update.version, comment="再改")
    monthly_update_save(actor=secretary_a, update=update, data={}, version=update.version, photos=[picture()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(draft.get_absolute_url()).content.decode()
    assert page.count("再改") >= 3


def test_photo_download_is_the_stored_picture(client, staff, draft):
    photo = draft.photos.get()
    client.force_login(staff)
    response = client.get(reverse("communities:monthly_update_photo", args=[draft.pk, photo.pk]))
    assert response["Content-Type"] == "image/png" and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


# -- the staff overview ---------------------------------------------------------------------------------


def _year_of_updates(secretary, community, staff):
    """January accepted and late, February submitted, March draft; April–December nothing."""
    jan = make_update(secretary, community, date(2005, 1, 1))
    jan = monthly_update_submit(actor=secretary, update=jan, version=1, now=at(date(2005, 2, 7)))
    monthly_update_accept(actor=staff, update=jan, version=jan.version)
    feb = make_update(secretary, community, date(2005, 2, 1))
    monthly_update_submit(actor=secretary, update=feb, version=1, now=at(date(2005, 3, 3)))
    make_update(secretary, community, date(2005, 3, 1))


def test_overview_grid_colours_each_month(client, staff, secretary_a, community_a, community_b):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(staff)
    response = client.get(reverse("communities:monthly_update_overview"), {"year": 2005})
    page = response.content.decode()
    grid = page[page.index('data-testid="monthly-grid"') :]
    row_a = grid[grid.index('data-community="秀水社区"') : grid.index('data-community="丛树社区"')]
    assert 'mu-accepted" data-month="1"' in row_a and "迟报" in row_a
    assert 'mu-submitted" data-month="2"' in row_a
    assert 'mu-overdue" data-month="3"' in row_a  # a draft past its deadline
    assert 'mu-overdue" data-month="12"' in row_a
    assert "已通过" in row_a and "已提交" in row_a and "逾期" in row_a
    # overdue: A's March to December and all of B's year
    assert '<span class="badge bg-danger" data-testid="overdue-count">22</span>' in page


def test_overview_filters(client, staff, secretary_a, community_a, community_b):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(staff)
    url = reverse("communities:monthly_update_overview")
    page = client.get(url, {"year": 2005, "state": "accepted"}).content.decode()
    assert 'data-community="秀水社区"' in page and 'data-community="丛树社区"' not in page
    page = client.get(url, {"year": 2005, "name": "丛树"}).content.decode()
    assert 'data-community="丛树社区"' in page and 'data-community="秀水社区"' not in page
    # a filter without a year applies to this year
    page = client.get(url, {"name": "丛树"}).content.decode()
    assert 'data-community="丛树社区"' in page and 'data-community="秀水社区"' not in page


def test_overview_query_count_does_not_grow_with_communities(
    client, staff, secretary_a, community_a, django_assert_max_num_queries
):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(staff)
    url = reverse("communities:monthly_update_overview")
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"year": 2005})
    CommunityFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"year": 2005})


def test_export_is_an_xlsx_of_every_community_month(client, staff, secretary_a, community_a, community_b):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(staff)
    response = client.get(reverse("communities:monthly_update_export"), {"year": 2005})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("社区编码", "社区", "月份", "状态", "逾期提交", "首次提交")
    assert "集体经济收入(万元)" in rows[0] and "支委会" in rows[0]
    assert len(rows) == 1 + 2 * 12
    january = next(r for r in rows if r[1] == "秀水社区" and r[2] == "2005年1月")
    assert january[3:5] == ("已通过", "是") and january[6] == 5.2
    # the overview's filters apply to the export too
    response = client.get(reverse("communities:monthly_update_export"), {"year": 2005, "name": "丛树"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 13 and {r[1] for r in rows[1:]} == {"丛树社区"}


def test_secretary_sees_own_months_only(client, secretary_a, staff, community_a, community_b):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(secretary_a)
    page = client.get(reverse("communities:monthly_update_mine"), {"year": 2005}).content.decode()
    assert "秀水社区" in page and "丛树社区" not in page
    assert "?period=2005-04" in page  # a way to file April


def test_community_page_shows_updates_rollup_and_misses(
    client, staff, secretary_a, community_a, django_assert_max_num_queries
):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(staff)
    page = client.get(community_a.get_absolute_url()).content.decode()
    section = page[page.index('data-testid="monthly-section"') :]
    assert "已通过月报的年度汇总" in section and "5.20万元" in section
    assert "2005年2月未召开支委会" in section  # February is not accepted yet
    assert "2005年第一季度未召开党员大会" not in section  # January's 党员大会 covers the quarter
    with django_assert_max_num_queries(30) as few:
        client.get(community_a.get_absolute_url())
    for month in range(4, 13):
        make_update(secretary_a, community_a, date(2005, month, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(community_a.get_absolute_url())


def test_menu_entries(client, staff, secretary_a):
    client.force_login(staff)
    assert "月报总览" in client.get("/").content.decode()
    client.force_login(secretary_a)
    assert "本社区月报" in client.get("/").content.decode()


def test_admin_lists_updates_but_changes_nothing(client, make_user, draft):
    admin_user = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:communities_monthlyupdate_changelist"))
    assert changelist.status_code == 200 and "秀水社区" in changelist.content.decode()
    assert client.get(reverse("admin:communities_monthlyupdate_add")).status_code == 403
    client.post(reverse("admin:communities_monthlyupdate_delete", args=[draft.pk]), {"post": "yes"})
    assert MonthlyUpdate.objects.filter(pk=draft.pk).exists()


def test_bad_overview_filters_give_the_default(client, staff, secretary_a, community_a, community_b):
    _year_of_updates(secretary_a, community_a, staff)
    client.force_login(staff)
    url = reverse("communities:monthly_update_overview")
    page = client.get(url, {"year": 2005, "state": "nonsense", "kind": "castle"}).content.decode()
    assert 'data-community="秀水社区"' in page and 'data-community="丛树社区"' in page
    # the good values still apply beside a bad one
    page = client.get(url, {"year": 2005, "state": "nonsense", "name": "丛树"}).content.decode()
    assert 'data-community="丛树社区"' in page and 'data-community="秀水社区"' not in page
    response = client.get(reverse("communities:monthly_update_export"), {"year": 2005, "state": "x", "kind": "y"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 1 + 2 * 12


# -- a ?year= that does not parse gives this year, never a 500 ---------------------------------------

BAD_YEARS = ["²", "99999", "1800", "-1", "2005.0", ""]


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize(
    ("name", "user"),
    [
        ("communities:monthly_update_overview", "staff"),
        ("communities:monthly_update_export", "staff"),
        ("communities:monthly_update_mine", "secretary_a"),
    ],
)
def test_a_bad_year_gives_this_year(client, personas, name, user, year):
    client.force_login(personas[user])
    response = client.get(reverse(name), {"year": year})
    assert response.status_code == 200
    if name.endswith("export"):
        assert f"monthly-updates-{local_today().year}.xlsx" in response["Content-Disposition"]
    elif name.endswith("overview"):  # the overview's data is read with its fragment
        assert response.context["overview"].year == local_today().year
    else:
        assert response.context["year"] == local_today().year


def test_a_bad_year_keeps_the_other_filters(client, staff, secretary_a, community_a, community_b):
    client.force_login(staff)
    url = reverse("communities:monthly_update_overview")
    page = client.get(url, {"year": "²", "state": "nonsense", "name": "丛树"}).content.decode()
    assert 'data-community="丛树社区"' in page and 'data-community="秀水社区"' not in page


def test_export_cells_never_start_a_formula(client, staff, secretary_a, community_a):
    community_a.name = "=HYPERLINK(1)"
    community_a.save()
    client.force_login(staff)
    response = client.get(reverse("communities:monthly_update_export"), {"year": 2005})
    assert response["Cache-Control"] == "private, no-store"
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert {r[1] for r in rows[1:]} == {"'=HYPERLINK(1)"}


def test_photo_download_is_sandboxed(client, staff, draft):
    photo = draft.photos.get()
    client.force_login(staff)
    response = client.get(reverse("communities:monthly_update_photo", args=[draft.pk, photo.pk]))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
