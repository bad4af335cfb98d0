"""党组织 and 党员 imports of issue 14 (item 8): Chinese headers and template, natural wording of the
choices, parents found above their children, all-or-nothing with every bad row listed, and the
member sheet's 党支部/党小组/转正日期 columns with 党员类别 checked against the dates."""

from datetime import date, timedelta

import pytest

from communities.choices import MemberStatus, OrgKind
from communities.models import PartyMember, PartyOrganisation
from communities.organisation_resources import PartyOrganisationResource
from communities.resources import PartyMemberResource
from jiedao import imports
from tests.communities.factories import valid_id_number
from tests.communities.party_life import branch_of, group_of
from tests.communities.test_import_export import csv_upload, read_csv
from tests.communities.test_import_export import reveal_staff as reveal_staff  # the fixture

pytestmark = pytest.mark.django_db

ORG_HEADER = ["名称", "类型", "上级组织", "社区", "成立日期", "本届起始", "本届届满"]


def test_template_has_the_chinese_headers(staff):
    assert read_csv(imports.template_bytes(PartyOrganisationResource(actor=staff), "csv")) == [ORG_HEADER]


def test_a_tree_imports_top_down_in_natural_words(staff, community_a):
    rows = [
        ORG_HEADER,
        ["中共某街道工作委员会", "街道党工委", "", "", "1984-07-01", "", ""],
        [
            "中共秀水社区支部委员会",
            "社区党支部",
            "中共某街道工作委员会",
            "A01",
            "1960-05-01",
            "2004-03-01",
            "2007-02-28",
        ],
        ["秀水社区第一党小组", "小组", "中共秀水社区支部委员会", "秀水社区", "", "", ""],
    ]
    outcome = imports.run_import(PartyOrganisationResource(actor=staff), csv_upload(rows))
    assert outcome.ok, outcome.problems
    group = PartyOrganisation.objects.get(name="秀水社区第一党小组")
    assert group.kind == OrgKind.GROUP and group.parent.kind == OrgKind.BRANCH
    assert group.parent.parent.kind == OrgKind.WORKING_COMMITTEE
    # and the export re-imports unchanged
    exported = imports.export_bytes(PartyOrganisationResource(actor=staff), "csv")
    again = imports.run_import(PartyOrganisationResource(actor=staff), csv_upload(read_csv(exported)))
    assert again.ok and again.created == 0 and again.updated == 3


def test_a_bad_tree_is_refused_whole_with_every_bad_row(staff, community_a):
    rows = [
        ORG_HEADER,
        ["中共某街道工作委员会", "党工委", "", "", "", "", ""],
        ["错挂的小组", "党小组", "中共某街道工作委员会", "A01", "", "", ""],  # a group under the 党工委
        ["没有上级的支部", "党支部", "不存在的党委", "A01", "", "", ""],
        ["乱写类型", "党办", "中共某街道工作委员会", "A01", "", "", ""],
    ]
    outcome = imports.run_import(PartyOrganisationResource(actor=staff), csv_upload(rows))
    assert not outcome.ok
    lines = {p.line for p in outcome.problems}
    assert lines == {3, 4, 5}
    messages = " ".join(p.message for p in outcome.problems)
    assert "不存在的党委" in messages and "党办" in messages
    assert not PartyOrganisation.objects.exists()  # nothing, not even the good first row


MEMBER_HEADER = [
    "社区",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机号",
    "入党日期",
    "党员类别",
    "党支部",
    "党小组",
    "入党宣誓日期",
    "转正日期",
]


def test_members_with_their_branch_and_dates(reveal_staff, community_a, community_b):  # noqa: F811
    branch = branch_of(community_a, "秀水支部")
    group_of(branch, "秀水第一小组")
    other = branch_of(community_b, "别处支部")
    rows = [
        MEMBER_HEADER,
        [
            "A01",
            "王正式",
            "男",
            "1970-01-01",
            valid_id_number(1),
            "",
            "1995-07-01",
            "正式党员",
            "秀水支部",
            "秀水第一小组",
            "1995-07-20",
            "",
        ],
        [
            "A01",
            "李预备",
            "女",
            "1980-01-01",
            valid_id_number(2, date(1980, 1, 1)),
            "",
            "2005-07-01",
            "预备",
            "秀水支部",
            "",
            "2005-07-20",
            "",
        ],
    ]
    outcome = imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(rows))
    assert outcome.ok, outcome.problems
    full = PartyMember.objects.get(name="王正式")
    assert full.full_on == date(1996, 7, 1)  # 按期转正 at the end of the 预备期
    assert full.status == MemberStatus.FULL and full.branch == branch and full.group.name == "秀水第一小组"
    assert full.person is not None and full.person.id_number == full.id_number
    assert PartyMember.objects.get(name="李预备").status_on(date(2005, 12, 31)) == MemberStatus.PROBATIONARY
    RECENT = (date.today() - timedelta(days=90)).isoformat()
    bad = [
        MEMBER_HEADER,
        ["A01", "张一", "男", "1970-01-01", valid_id_number(3), "", RECENT, "正式", "", "", "", ""],  # < a year ago
        ["A01", "张二", "男", "1970-01-01", valid_id_number(4), "", "1995-07-01", "预备", "", "", "", "1996-07-01"],
        ["A01", "张三", "男", "1970-01-01", valid_id_number(5), "", "1995-07-01", "正式", other.name, "", "", ""],
    ]
    outcome = imports.run_import(PartyMemberResource(actor=reveal_staff), csv_upload(bad))
    assert not outcome.ok
    assert {(p.line, p.column) for p in outcome.problems} >= {(2, "党员类别"), (3, "党员类别"), (4, "党支部")}
    assert PartyMember.objects.count() == 2
