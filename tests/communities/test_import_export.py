"""Import and export of the five formats (DESIGN §8): all or nothing, every bad row named,
formula-safe, masked party-member numbers, staff only."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import Cadre, Community, CommunityYear, PartyMember
from communities.organisation_resources import PartyOrganisationResource
from communities.party_life_resources import DuesBaseResource, DuesPaymentResource, MeetingAttendanceResource
from communities.resources import CadreResource, CommunityResource, CommunityYearResource, PartyMemberResource
from jiedao import imports
from jiedao.models import SubDistrictYear
from jiedao.permissions import Role
from jiedao.resources import SubDistrictYearResource
from tests.communities.factories import (
    CadreFactory,
    CommunityFactory,
    CommunityYearFactory,
    PartyMemberFactory,
    valid_id_number,
)
from tests.matrix import STAFF_ONLY, check_matrix

pytestmark = pytest.mark.django_db

YEAR_HEADER = ["社区", "年度", "集体经济可支配收入(万元)", "农民人均纯收入(元)", "党员人数"]


def csv_upload(rows, name="data.csv", encoding="utf-8") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, name="data.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def reveal_staff(staff):
    staff.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    return type(staff).objects.get(pk=staff.pk)  # fresh permission cache


# -- all or nothing -----------------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing_and_names_the_row(staff, community_a, community_b):
    upload = csv_upload(
        [
            YEAR_HEADER,
            ["A01", "2004", "450.14", "4610", "20"],
            ["丛树社区", "2004", "-1", "4700", "18"],  # line 3: negative income
            ["秀水社区", "2005", "723.76", "5406", "22"],
        ]
    )
    outcome = imports.run_import(CommunityYearResource(actor=staff), upload)
    assert not outcome.ok
    assert CommunityYear.objects.count() == 0
    assert [(p.line, p.column) for p in outcome.problems] == [(3, "集体经济可支配收入(万元)")]
    assert "大于或等于0" in outcome.problems[0].message


def test_every_bad_row_and_cell_is_listed(staff, community_a):
    upload = csv_upload(
        [
            YEAR_HEADER,
            ["无名社区", "2004", "1", "1", "1"],  # unknown community
            ["A01", "2004", "1.5", "1", "1"],  # good
            ["A01", "二〇〇五", "abc", "-2", "3.5"],  # four bad cells
            ["A01", "2006", "1", "1", ""],  # required count missing
        ]
    )
    outcome = imports.run_import(CommunityYearResource(actor=staff), upload)
    assert CommunityYear.objects.count() == 0
    assert outcome.bad_lines == [2, 4, 5]
    found = {(p.line, p.column): p.message for p in outcome.problems}
    assert found[(2, "社区")] == "找不到社区“无名社区”（请填写编码或名称）。"
    assert found[(4, "年度")] == "“二〇〇五”不是整数。"
    assert found[(4, "集体经济可支配收入(万元)")] == "“abc”不是数字。"
    assert "大于或等于0" in found[(4, "农民人均纯收入(元)")]
    assert found[(4, "党员人数")] == "“3.5”不是整数。"
    assert found[(5, "党员人数")] == "此列必须填写。"


def test_good_file_is_imported_and_updates_by_natural_key(staff, community_a, community_b):
    CommunityYearFactory(community=community_a, year=2004, collective_income="1.00")
    upload = csv_upload(
        [
            YEAR_HEADER + ["贫困村"],
            ["A01", "2004", "450.14", "4610", "20", "是"],
            ["丛树社区", "2004", "72.80", "4700", "18", "否"],
        ]
    )
    outcome = imports.run_import(CommunityYearResource(actor=staff), upload)
    assert outcome.ok and (outcome.created, outcome.updated) == (1, 1)
    record = CommunityYear.objects.get(community=community_a, year=2004)
    assert record.collective_income == Decimal("450.14") and record.is_poor
    assert not CommunityYear.objects.get(community=community_b).is_poor


def test_the_poor_village_column_is_optional(staff, community_a):
    outcome = imports.run_import(
        CommunityYearResource(actor=staff), csv_upload([YEAR_HEADER, ["A01", "2005", "1", "2", "3"]])
    )
    assert outcome.ok
    assert CommunityYear.objects.get().is_poor is False


def test_duplicate_rows_in_one_file_are_refused(staff, community_a):
    upload = csv_upload([YEAR_HEADER, ["A01", "2005", "1", "2", "3"], ["秀水社区", "2005", "1", "2", "3"]])
    outcome = imports.run_import(CommunityYearResource(actor=staff), upload)
    assert outcome.bad_lines == [3] and CommunityYear.objects.count() == 0
    assert outcome.problems[0].message == "这一行与第 2 行重复（社区、年度相同）。"


def test_wrong_headers_are_named(staff):
    upload = csv_upload([["社区", "年份", "集体经济可支配收入(万元)", "农民人均纯收入(元)"], ["A01", "2005", "1", "2"]])
    outcome = imports.run_import(CommunityYearResource(actor=staff), upload)
    assert outcome.problems[0].line is None
    assert "缺少列：年度、党员人数" in outcome.problems[0].message
    assert "无法识别的列：年份" in outcome.problems[0].message


def test_headers_may_carry_a_description_and_gb18030_csv_is_read(staff):
    header = [
        "编码",
        "名称",
        "类型 (城市社区/村改居)",
        "面积(平方公里)",
        "户数",
        "人口",
        "党组织名称",
        "曾为贫困村 (是/否)",
    ]
    upload = csv_upload(
        [header, ["X1", "新社区", "城市社区", "2.5", "10", "30", "中共新社区支部", "否"]], encoding="gb18030"
    )
    outcome = imports.run_import(CommunityResource(actor=staff), upload)
    assert outcome.ok, outcome.problems
    assert Community.objects.get(code="X1").kind == "urban"


def test_xlsx_import_with_excel_dates_and_numbers(staff, community_a):
    from datetime import datetime

    header = ["社区", "姓名", "职务", "任职开始", "任职结束", "公推直选", "学历"]
    upload = xlsx_upload([header, [101, "张三", "党委书记", datetime(2004, 3, 1), None, "是", "大专"]])
    community_a.code = "101"
    community_a.save()
    outcome = imports.run_import(CadreResource(actor=staff), upload)
    assert outcome.ok, outcome.problems
    cadre = Cadre.objects.get()
    assert (cadre.community, cadre.term_start.isoformat(), cadre.directly_elected, cadre.education) == (
        community_a,
        "2004-03-01",
        True,
        "college",
    )


def test_blank_rows_are_ignored_and_lines_keep_their_numbers(staff, community_a):
    upload = csv_upload([YEAR_HEADER, [], ["A01", "2005", "x", "2", "3"]])
    outcome = imports.run_import(CommunityYearResource(actor=staff), upload)
    assert outcome.bad_lines == [3]


def test_not_a_spreadsheet_is_refused(staff):
    upload = SimpleUploadedFile("a.xlsx", b"\x00\x01binary")
    outcome = imports.run_import(CommunityResource(actor=staff), upload)
    assert outcome.problems[0].message == "请上传 CSV 或 XLSX 文件。"


# -- validation messages in Chinese ------------------------------------------------------------------------

MEMBER_HEADER = ["社区", "姓名", "性别", "出生日期", "身份证号", "手机号", "入党日期", "党员类别"]
# the columns of issue 14 (optional on import, so files in the old eight columns still load)
MEMBER_HEADER_FULL = [*MEMBER_HEADER, "党支部", "党小组", "入党宣誓日期", "转正日期"]


def test_party_member_validation_messages(staff, community_a):
    good_id = valid_id_number(7)
    bad_checksum = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    upload = csv_upload(
        [
            MEMBER_HEADER,
            ["A01", "王一", "男", "1970-01-01", bad_checksum, "13812345678", "1995-07-01", "正式"],
            ["A01", "王二", "女", "1970-01-01", valid_id_number(8), "12345", "1995-07-01", "预备"],
            ["A01", "王三", "男", "1970/13/01", valid_id_number(9), "", "1995-07-01", "候补"],
            ["A01", "王四", "男", "1970-01-01", "510108********1234", "138****5678", "1995-07-01", "正式"],
        ]
    )
    outcome = imports.run_import(PartyMemberResource(actor=staff), upload)
    found = {(p.line, p.column): p.message for p in outcome.problems}
    assert found[(2, "身份证号")] == "身份证号校验位错误。"
    assert found[(3, "手机号")] == "手机号应为以13至19开头的11位数字。"
    assert found[(4, "出生日期")] == "“1970/13/01”不是日期，日期请写成 YYYY-MM-DD（如 2005-03-01）。"
    assert found[(4, "党员类别")] == "“候补”不是允许的值，可选：正式、预备。"
    assert "脱敏" in found[(5, "身份证号")] and "脱敏" in found[(5, "手机号")]
    assert PartyMember.objects.count() == 0


def test_negative_counts_and_unknown_choices_for_communities(staff):
    header = ["编码", "名称", "类型", "面积(平方公里)", "户数", "人口", "党组织名称", "曾为贫困村"]
    upload = csv_upload([header, ["X1", "新社区", "乡镇", "-1", "-5", "30", "支部", "也许"]])
    outcome = imports.run_import(CommunityResource(actor=staff), upload)
    found = {p.column: p.message for p in outcome.problems}
    assert found["类型"] == "“乡镇”不是允许的值，可选：城市社区、村改居。"
    assert "大于或等于0" in found["面积(平方公里)"]
    assert "大于或等于0" in found["户数"]
    assert found["曾为贫困村"] == "“也许”无效，只能填“是”或“否”。"


# -- round trips: an export re-imports unchanged ------------------------------------------------------------


def _snapshot(model):
    return sorted(
        tuple((f.name, getattr(obj, f.attname)) for f in model._meta.concrete_fields if f.name != "updated_at")
        for obj in model.objects.all()
    )


@pytest.fixture
def everything(community_a, community_b):
    community_a.name = '=HYPERLINK("http://x")'
    community_a.party_org_name = "+中共秀水社区委员会"
    community_a.formerly_poor = True
    community_a.save()
    CommunityYearFactory(community=community_a, year=2004, collective_income="450.14", is_poor=True)
    CommunityYearFactory(community=community_b, year=2005, collective_income="723.76", per_capita_income="5406.50")
    CadreFactory(community=community_a, name="@张三", post="-党委书记", education="college")
    CadreFactory(community=community_b, name="李四", term_end="2007-03-01", directly_elected=True)
    PartyMemberFactory(community=community_a, mobile="")
    PartyMemberFactory(community=community_b, gender="female", full_on="1996-07-01")
    SubDistrictYear.objects.create(
        year=2005, fiscal_revenue="1768.00", letters_visits=69, collective_petitions=1, per_capita_income="5406.00"
    )


RESOURCES = [
    (CommunityResource, Community),
    (CommunityYearResource, CommunityYear),
    (CadreResource, Cadre),
    (PartyMemberResource, PartyMember),
    (SubDistrictYearResource, SubDistrictYear),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("resource_class", "model"), RESOURCES)
def test_export_reimports_unchanged(reveal_staff, everything, resource_class, model, fmt):
    before = _snapshot(model)
    exported = imports.export_bytes(resource_class(actor=reveal_staff), fmt)
    outcome = imports.run_import(resource_class(actor=reveal_staff), SimpleUploadedFile(f"x.{fmt}", exported))
    assert outcome.ok, outcome.problems
    assert outcome.created == 0 and outcome.updated == len(before)
    assert _snapshot(model) == before
    assert imports.export_bytes(resource_class(actor=reveal_staff), fmt) == exported or fmt == "xlsx"


def test_export_into_an_empty_database_recreates_the_rows(reveal_staff, everything):
    exported = imports.export_bytes(CadreResource(actor=reveal_staff), "csv")
    before = [row[1:] for row in _snapshot(Cadre)]
    Cadre.objects.all().delete()
    assert imports.run_import(CadreResource(actor=reveal_staff), SimpleUploadedFile("c.csv", exported)).created == 2
    assert [row[1:] for row in _snapshot(Cadre)] == before or len(before) == 2


def test_template_is_the_header_row(staff):
    assert read_csv(imports.template_bytes(CommunityYearResource(actor=staff), "csv")) == [YEAR_HEADER + ["贫困村"]]
    assert read_xlsx(imports.template_bytes(PartyMemberResource(actor=staff), "xlsx")) == [MEMBER_HEADER_FULL]


# -- formula escaping ---------------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "'=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_escape_and_unescape_are_inverse(value):
    escaped = imports.escape_cell(value)
    assert escaped == "'" + value
    assert imports.unescape_cell(escaped) == value
    assert imports.escape_cell("秀水社区") == "秀水社区" and imports.unescape_cell("'秀水") == "'秀水"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("value", DANGEROUS)
def test_exported_cells_that_look_like_formulae_are_escaped(reveal_staff, community_a, value, fmt):
    community_a.party_org_name = value
    community_a.save()
    exported = imports.export_bytes(CommunityResource(actor=reveal_staff), fmt)
    rows = read_csv(exported) if fmt == "csv" else read_xlsx(exported)
    # openpyxl writes and reads XLSX through lxml (installed with pikepdf), which keeps a carriage return.
    carried = value
    assert rows[1][6] == "'" + carried
    if fmt == "xlsx":
        cell = openpyxl.load_workbook(io.BytesIO(exported)).active["G2"]
        assert cell.data_type == "s"  # text, never a formula
    outcome = imports.run_import(CommunityResource(actor=reveal_staff), SimpleUploadedFile(f"c.{fmt}", exported))
    assert outcome.ok, outcome.problems
    community_a.refresh_from_db()
    assert community_a.party_org_name == carried


# -- masking and the reveal permission -----------------------------------------------------------------------


def test_party_member_export_is_masked_without_the_reveal_permission(client, staff, community_a):
    member = PartyMemberFactory(community=community_a, mobile="13812345678")
    client.force_login(staff)
    response = client.get(reverse("communities:partymember_export"), {"format": "csv"})
    rows = read_csv(response.content)
    assert rows[0] == [("年龄" if h == "出生日期" else h) for h in MEMBER_HEADER_FULL]  # no birth date: an age
    assert rows[1][3] == str(member.age)
    assert rows[1][4] == member.id_number_masked == "*" * 14 + member.id_number[-4:] and rows[1][5] == "138****5678"
    text = response.content.decode("utf-8-sig")
    assert member.id_number not in text and member.id_number[:6] not in text
    assert member.birth_date.isoformat() not in text and f"{member.birth_date:%Y%m%d}" not in text
    outcome = imports.run_import(PartyMemberResource(actor=staff), SimpleUploadedFile("m.csv", response.content))
    assert not outcome.ok


def test_party_member_export_reveals_with_the_permission(client, reveal_staff, community_a):
    member = PartyMemberFactory(community=community_a, mobile="13812345678")
    client.force_login(reveal_staff)
    rows = read_xlsx(client.get(reverse("communities:partymember_export"), {"format": "xlsx"}).content)
    assert rows[1][4] == member.id_number and rows[1][5] == "13812345678"


def test_the_reveal_permission_means_nothing_without_the_staff_role(make_user, community_a):
    user = make_user("sec_reveal", community=community_a)
    user.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    assert PartyMemberResource(actor=user).reveal is False
    assert PartyMemberResource(actor=user, reveal=True).reveal is False


def test_member_page_reveals_only_with_the_permission(client, make_user, reveal_staff, community_a):
    member = PartyMemberFactory(community=community_a, mobile="13812345678")
    url = reverse("communities:partymember_list", args=[community_a.pk])
    client.force_login(make_user("staff2", Role.STAFF))
    page = client.get(url).content.decode()
    assert member.id_number_masked in page and member.id_number not in page and "13812345678" not in page
    client.force_login(reveal_staff)
    page = client.get(url).content.decode()
    assert member.id_number in page and "13812345678" in page


# -- the pages ------------------------------------------------------------------------------------------------

# The communities' rosters are in tests/communities/test_matrix.py with the rest of the app.
IMPORT_URLS = ["jiedao:subdistrict_year"]


@pytest.mark.parametrize("base", IMPORT_URLS)
def test_only_staff_may_import_export_or_download_templates(personas, base):
    for action in ("import", "export", "template"):
        check_matrix(personas, reverse(f"{base}_{action}"), STAFF_ONLY)


@pytest.mark.parametrize("base", IMPORT_URLS)
def test_only_staff_may_post_an_import(personas, base):
    expected = {**STAFF_ONLY, "staff": 400}  # staff get the form back: no file was sent
    check_matrix(personas, reverse(f"{base}_import"), expected, method="post")


def test_import_page_shows_columns_and_template_links(client, staff):
    client.force_login(staff)
    page = client.get(reverse("communities:community_year_import")).content.decode()
    for header in YEAR_HEADER:
        assert header in page
    assert reverse("communities:community_year_template") + "?format=xlsx" in page
    assert "（可选）" in page


def test_import_page_lists_every_bad_row(client, staff, community_a):
    client.force_login(staff)
    upload = csv_upload(
        [YEAR_HEADER, ["A01", "2004", "1", "1", "1"], ["A01", "x", "1", "1", "1"], ["Z", "2005", "1", "1", "1"]]
    )
    response = client.post(reverse("communities:community_year_import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "没有保存任何数据" in page
    assert "<td>3</td><td>年度</td>" in page and "<td>4</td><td>社区</td>" in page
    assert CommunityYear.objects.count() == 0


def test_import_page_reports_success(client, staff, community_a):
    client.force_login(staff)
    upload = csv_upload([YEAR_HEADER, ["A01", "2004", "1", "1", "1"], ["A01", "2005", "1", "1", "1"]])
    response = client.post(reverse("communities:community_year_import"), {"file": upload})
    assert response.status_code == 200
    assert "已导入 2 行：新增 2 行，更新 0 行。" in response.content.decode()
    assert CommunityYear.objects.count() == 2


def test_export_download_names_the_file(client, staff, community_a):
    client.force_login(staff)
    response = client.get(reverse("communities:community_export"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert read_xlsx(response.content)[1][:2] == ["A01", "秀水社区"]


def test_import_export_links_on_the_pages(client, staff, community_a):
    client.force_login(staff)
    listing = client.get(reverse("communities:community_list")).content.decode()
    for base in ("community", "community_year", "cadre", "partymember"):
        assert reverse(f"communities:{base}_import") in listing
    detail = client.get(community_a.get_absolute_url()).content.decode()
    assert reverse("communities:cadre_import") in detail and reverse("communities:community_year_import") in detail
    indicators = client.get(reverse("jiedao:subdistrict_year_list")).content.decode()
    assert reverse("jiedao:subdistrict_year_import") in indicators


def test_export_query_count_does_not_grow_with_rows(client, reveal_staff, community_a, django_assert_max_num_queries):
    client.force_login(reveal_staff)
    PartyMemberFactory.create_batch(3, community=community_a)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("communities:partymember_export"), {"format": "csv"})
    PartyMemberFactory.create_batch(30, community=CommunityFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("communities:partymember_export"), {"format": "csv"})


def test_the_examples_in_docs_import_md_import_cleanly(staff):
    """docs/import.md shows one CSV example per format, in dependency order: they must work."""
    import re
    from pathlib import Path

    text = Path(__file__).resolve().parents[2].joinpath("docs", "import.md").read_text(encoding="utf-8")
    examples = re.findall(r"```csv\n(.*?)```", text, flags=re.S)
    resources = [
        CommunityResource,
        CommunityYearResource,
        SubDistrictYearResource,
        CadreResource,
        PartyOrganisationResource,  # the tree before the members who hang on its branches
        PartyMemberResource,
        DuesBaseResource,
        DuesPaymentResource,
        MeetingAttendanceResource,  # needs its meeting in the register: shown, not run here
    ]
    assert len(examples) == len(resources)
    for example, resource_class in zip(examples[:-1], resources[:-1], strict=True):
        upload = SimpleUploadedFile("example.csv", example.encode("utf-8"))
        outcome = imports.run_import(resource_class(actor=staff), upload)
        assert outcome.ok, (resource_class.__name__, outcome.problems)
        assert outcome.created == example.count("\n") - 1


# -- party-member rosters are written in bulk: still checked, still audited ----------------------------------


def test_joined_before_birth_is_named_on_its_column(staff, community_a):
    upload = csv_upload(
        [MEMBER_HEADER, ["A01", "王一", "男", "1970-01-01", valid_id_number(1), "", "1969-07-01", "正式"]]
    )
    outcome = imports.run_import(PartyMemberResource(actor=staff), upload)
    assert [(p.line, p.column, p.message) for p in outcome.problems] == [(2, "入党日期", "入党日期必须晚于出生日期。")]


def test_roster_import_is_in_the_change_log_with_masked_numbers(reveal_staff, community_a):
    from auditlog.models import LogEntry

    rows = [MEMBER_HEADER, ["A01", "王一", "男", "1970-01-01", valid_id_number(1), "13812345678", "1995-07-01", "正式"]]
    assert imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(rows)).ok
    entry = LogEntry.objects.get(content_type__model="partymember")
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, reveal_staff)
    assert "13812345678" not in str(entry.changes) and valid_id_number(1) not in str(entry.changes)

    assert imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(rows)).ok  # unchanged: no entry
    assert LogEntry.objects.filter(content_type__model="partymember").count() == 1
    rows[1][5] = "13987654321"
    assert imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(rows)).updated == 1
    update = LogEntry.objects.filter(content_type__model="partymember").latest("timestamp")
    assert update.action == LogEntry.Action.UPDATE and list(update.changes_dict) == ["mobile"]
    assert PartyMember.objects.get().mobile == "13987654321"


def test_bulk_roster_writes_keep_the_scoping_rule(secretary_a, community_a, community_b):
    from django.http import Http404

    from communities.services import party_member_bulk_save

    outsider = PartyMember(
        community=community_b, name="外", gender="male", birth_date=date(1970, 1, 1),
        id_number=valid_id_number(3), joined_on=date(1995, 7, 1),
    )  # fmt: skip
    with pytest.raises(Http404):
        party_member_bulk_save(actor=secretary_a, created=[outsider], updated=[])
    assert not PartyMember.objects.exists()
