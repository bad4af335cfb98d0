"""Issue 11, item 2: an insider without the reveal permission tries to rebuild full ID numbers from
everything they can fetch about party members — roster, edit and create forms, CSV and XLSX
export, import page, templates and error list, community page, the audit log and its export.

The attacker is given the member's region code (the worst case: an insider may know where members
come from). A member counts as rebuilt when the fetched material holds the full ID, its last
twelve characters, or the birth date (in any usual spelling) together with the last four: with
the region, that is the whole number. The old mask (region kept, birth date beside it in the export
and the edit form) let 409 of 410 through; now none may be."""

import html
import io
import re
import unicodedata
from datetime import date

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import PartyMember
from communities.resources import PartyMemberResource
from communities.services import party_member_save
from jiedao import imports
from jiedao.identity import id_check_digit

pytestmark = pytest.mark.django_db

# Demo-like members: different regions, birth dates and sequence numbers.
PEOPLE = [
    ("张秀英", "female", "510108", date(1956, 3, 7), "0421", "13812345678"),
    ("欧阳小明", "male", "510104", date(1988, 11, 30), "1375", "13987654321"),
    ("王建国", "male", "110105", date(1949, 10, 1), "0033", ""),
    ("李娜", "female", "440305", date(2001, 2, 28), "7862", "15012340000"),
    ("阿依古丽·买买提", "female", "650102", date(1979, 12, 31), "5240", "18699887766"),
]


def make_id(region: str, birth: date, seq: str) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq[:3]}"
    return first17 + id_check_digit(first17)


def _date_spellings(day: date) -> set[str]:
    return {
        f"{day:%Y%m%d}",
        f"{day.year}{day.month}{day.day}",  # 1956-3-7, 1956年3月7日 once reduced to digits
    }


def _digits_and_x(text: str) -> str:
    text = unicodedata.normalize("NFKC", html.unescape(text)).upper()
    return "".join(c for c in text if c.isdigit() or c == "X")


def _date_strings(text: str) -> set[str]:
    """Every date written in the material, as YYYYMMDD."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    found = set()
    for y, m, d in re.findall(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text):
        found.add(f"{int(y):04d}{int(m):02d}{int(d):02d}")
    found |= set(re.findall(r"(?<!\d)((?:19|20)\d{2}[01]\d[0-3]\d)(?!\d)", text))
    return found


def rebuilt(material: str, member: PartyMember) -> bool:
    digits = _digits_and_x(material)
    full = member.id_number
    if full in digits or full[6:] in digits:
        return True
    last_four_seen = full[-4:] in digits
    birth_seen = f"{member.birth_date:%Y%m%d}" in _date_strings(material) or any(
        s in digits for s in _date_spellings(member.birth_date) if len(s) == 8
    )
    return last_four_seen and birth_seen


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response) if getattr(response, "streaming", False) else response.content
    if "spreadsheet" in kind:
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        return "\n".join(
            " ".join(f"{c:%Y-%m-%d}" if hasattr(c, "year") else str(c) for c in row if c is not None)
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8-sig", errors="replace")


@pytest.fixture
def reveal_staff(make_user):
    from jiedao.permissions import Role

    user = make_user("revealer", Role.STAFF)
    user.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def members(reveal_staff, secretary_a, community_a, client):
    saved = []
    for name, gender, region, birth, seq, mobile in PEOPLE:
        member = PartyMember(
            community=community_a,
            name=name,
            gender=gender,
            birth_date=birth,
            id_number=make_id(region, birth, seq),
            mobile=mobile,
            joined_on=date(birth.year + 25, 7, 1),
        )
        saved.append(party_member_save(actor=reveal_staff, member=member))
    # history in the audit log: a correction of birth date and ID by a revealer, an import, and
    # a secretary's edit through the masked form
    first = saved[0]
    first.birth_date = date(1956, 3, 8)
    first.id_number = make_id("510108", first.birth_date, "0421")
    party_member_save(actor=reveal_staff, member=first)
    exported = imports.export_bytes(PartyMemberResource(actor=reveal_staff), "csv")
    text = exported.decode("utf-8-sig").replace("党员", "党员").replace(",正式", ",预备", 1)
    outcome = imports.run_import(PartyMemberResource(actor=reveal_staff), SimpleUploadedFile("m.csv", text.encode()))
    assert outcome.ok, outcome.problems
    client.force_login(secretary_a)
    second = saved[1]
    response = client.post(
        reverse("communities:partymember_update", args=[second.pk]),
        {
            "name": "欧阳晓明",
            "gender": "male",
            "id_number": "",
            "mobile": "",
            "joined_on": "2013-07-01",
        },
    )
    assert response.status_code == 302
    client.logout()
    return list(PartyMember.objects.order_by("pk"))


def everything_fetched(client, user, community, members) -> str:
    client.force_login(user)
    member_urls = []
    for member in members:
        member_urls.append(reverse("communities:partymember_update", args=[member.pk]))
    urls = [
        reverse("communities:community_detail", args=[community.pk]),
        reverse("communities:partymember_list", args=[community.pk]),
        reverse("communities:partymember_create", args=[community.pk]),
        *member_urls,
        reverse("communities:partymember_export") + "?format=csv",
        reverse("communities:partymember_export") + "?format=xlsx",
        reverse("communities:partymember_template") + "?format=csv",
        reverse("communities:partymember_template") + "?format=xlsx",
        reverse("communities:partymember_import"),
        reverse("jiedao:audit_log"),
        reverse("jiedao:audit_log") + "?page=2",
        reverse("jiedao:audit_log_export"),
        reverse("jiedao:audit_log_export") + "?format=csv",
    ]
    material = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            material.append(_text(response))
    # the import error list, fed a row for an existing member
    bad = (
        "社区,姓名,性别,出生日期,身份证号,手机号,入党日期,党员类别\n"
        "A01,张秀英,女,1999-01-01,51010819990101042,,2021-07-01,正式\n"
    )
    response = client.post(
        reverse("communities:partymember_import"), {"file": SimpleUploadedFile("bad.csv", bad.encode())}
    )
    if response.status_code in (200, 400):
        # what the attacker typed is not what they learnt
        material.append(_text(response).replace("51010819990101042", "").replace("1999-01-01", ""))
    client.logout()
    return "\n".join(material)


@pytest.mark.parametrize("persona", ["staff", "secretary_a", "auditor", "inspector"])
def test_no_full_id_can_be_rebuilt_without_the_reveal_permission(persona, request, client, community_a, members):
    user = request.getfixturevalue(persona)
    material = everything_fetched(client, user, community_a, members)
    assert material.strip()
    recovered = [m.name for m in members if rebuilt(material, m)]
    assert recovered == [], f"{persona} rebuilt {recovered}"
    for member in members:  # and no birth date at all
        assert f"{member.birth_date:%Y%m%d}" not in _date_strings(material), (persona, member.name)
    assert "**ne" not in material and "*三" not in material
    if persona in ("staff", "secretary_a"):  # the roster was read, masked
        assert all(m.id_number_masked in material and m.name in material for m in members)
    if persona == "auditor":  # the audit log was read: the members' entries are there, masked
        assert "阿依古丽·买买提" in material


def test_the_reveal_role_still_sees_full_numbers(client, reveal_staff, community_a, members):
    material = everything_fetched(client, reveal_staff, community_a, members)
    assert all(m.id_number in material for m in members)
    assert all(rebuilt(material, m) for m in members)  # the attacker's check does find what is there


def test_the_admin_masks_too_without_the_reveal_permission(client, make_user, community_a, members):
    admin_user = make_user("admin_viewer", is_staff=True)
    admin_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_partymember", "change_partymember", "add_partymember"])
    )
    client.force_login(admin_user)
    material = "\n".join(
        _text(client.get(url))
        for url in [
            reverse("admin:communities_partymember_changelist"),
            *(reverse("admin:communities_partymember_change", args=[m.pk]) for m in members),
        ]
    )
    assert all(m.name in material for m in members)
    assert [m.name for m in members if rebuilt(material, m)] == []
    assert client.get(reverse("admin:communities_partymember_add")).status_code == 403
