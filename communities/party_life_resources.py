"""Import/export formats of the 党费 ledger (staff), on jiedao.imports — all or nothing.

党费基数: 社区, 姓名, 起始月份 (2005-01), 类别 (在职/离退休/学生下岗低保), 月基数(元); key: member + month.
党费交纳: 社区, 姓名, 金额(元), 交纳日期, 交至年月 (2005-03); key: member + 交至年月.
A member is named by 社区 (编码 or 名称) and 姓名; a name two members of the community share is
refused. Rows go through the services (dues assessed from the rate table, 交至年月 only forward)."""

import re
from datetime import date, datetime

from django.db import transaction
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.choices import OrgKind
from communities.models import (
    Community,
    DuesBase,
    DuesPayment,
    MeetingAttendance,
    PartyMeeting,
    PartyMember,
    PartyOrganisation,
)
from communities.models.dues import DuesCategory
from communities.models.meetings import MeetingKind
from communities.periods import parse_period
from communities.selectors.meetings import expected_members
from communities.services.dues import dues_base_save, dues_payment_record
from communities.services.meetings import meeting_attendance_record, meeting_save
from jiedao.imports import (
    CellError,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    Field,
    ImportFileError,
    ImportOutcome,
    NaturalKeyWidget,
    PortalResource,
    RowProblem,
    TextWidget,
    YesNoWidget,
    read_dataset,
)
from jiedao.permissions import can_keep_party_records

COMMUNITY_COLUMN = "社区"
CHINESE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?")
CATEGORY_LABELS = {
    DuesCategory.EMPLOYED: "在职",
    DuesCategory.RETIRED: "离退休",
    DuesCategory.REDUCED: "学生下岗低保",
}


class MemberWidget(NaturalKeyWidget):
    """姓名 of a party member, found within the row's 社区 (编码 or 名称)."""

    def __init__(self):
        super().__init__(PartyMember, "name", label=gettext_lazy("party member"))

    def _lookup(self, key):
        if self._index is None:
            self._index = {}
            for member in PartyMember.objects.select_related("community").only("id", "name", "community"):
                for community_key in (member.community.code, member.community.name):
                    self._index.setdefault((community_key, member.name), []).append(member)
        return self._index.get(key, [])

    def clean(self, value, row=None, **kwargs):
        name = TextWidget().clean(value)
        if not name:
            raise CellError(_("This column is required."))
        community = TextWidget().clean((row or {}).get(COMMUNITY_COLUMN))
        found = self._lookup((community, name))
        if not found:
            raise CellError(
                _("No party member “%(name)s” in “%(community)s”.") % {"name": name, "community": community}
            )
        if len(found) > 1:
            raise CellError(_("“%(name)s” names more than one party member of this community.") % {"name": name})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value.name)


class MonthWidget(DateWidget):
    """A month as 2005-03 (or 2005年3月, or any date in it); stored as its first day."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime | date):
            return date(value.year, value.month, 1)
        text = force_str(value or "").strip()
        period = parse_period(text)
        if period is not None:
            return period
        match = CHINESE_MONTH.fullmatch(text)
        if match and 1 <= int(match[2]) <= 12:
            return date(int(match[1]), int(match[2]), 1)
        day = super().clean(value, row, **kwargs)
        if day is None:
            raise CellError(_("This column is required."))
        return day.replace(day=1)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:%Y-%m}"


class _LedgerResource(PortalResource):
    community = Field("import_community", COMMUNITY_COLUMN, NaturalKeyWidget(Community, "code", "name"))
    member = Field("member", "姓名", MemberWidget())

    def dehydrate_community(self, row):
        return row.member.community.name if row.member_id else ""


class DuesBaseResource(_LedgerResource):
    effective_from = Field("effective_from", "起始月份", MonthWidget())
    category = Field("category", "类别", ChoiceWidget(CATEGORY_LABELS, DuesCategory.choices))
    monthly_base = Field("monthly_base", "月基数(元)", DecimalWidget())

    class Meta(PortalResource.Meta):
        model = DuesBase
        fields = ("community", "member", "effective_from", "category", "monthly_base")
        import_id_fields = ("member", "effective_from")

    def get_queryset(self):
        return DuesBase.objects.select_related("member__community").order_by(
            "member__community__code", "member__name", "effective_from"
        )

    def save_via_service(self, instance, is_create):
        dues_base_save(actor=self.actor, base=instance)


class DuesPaymentResource(_LedgerResource):
    amount = Field("amount", "金额(元)", DecimalWidget())
    paid_on = Field("paid_on", "交纳日期", DateWidget())
    paid_through = Field("paid_through", "交至年月", MonthWidget())

    class Meta(PortalResource.Meta):
        model = DuesPayment
        fields = ("community", "member", "amount", "paid_on", "paid_through")
        import_id_fields = ("member", "paid_through")

    def get_queryset(self):
        return DuesPayment.objects.select_related("member__community").order_by(
            "member__community__code", "member__name", "paid_through"
        )

    def save_via_service(self, instance, is_create):
        dues_payment_record(actor=self.actor, payment=instance)


# -- 三会一课 meetings with attendance ------------------------------------------------------------
# One row per member and meeting: 组织, 日期, 会议类型, 议题, 姓名, 到会 (是/否), 缺席原因. The rows of
# one (组织, 日期, 会议类型) are one meeting. All or nothing, like every import: the file is read
# by jiedao.imports (size, type, headers, row limits), every row is checked, and only a file
# without a problem is written, through meeting_save and meeting_attendance_record.

KIND_LABELS = {
    MeetingKind.GENERAL: "支部党员大会",
    MeetingKind.COMMITTEE: "支委会",
    MeetingKind.GROUP: "党小组会",
    MeetingKind.LECTURE: "党课",
    MeetingKind.THEME_DAY: "主题党日",
}
KIND_WIDGET = ChoiceWidget(KIND_LABELS, MeetingKind.choices)


class MeetingAttendanceResource(PortalResource):
    """The columns (and the export) of the meeting import; the import itself is `meetings_import`."""

    organisation = Field("meeting__organisation__name", "组织", TextWidget())
    held_on = Field("meeting__held_on", "日期", DateWidget())
    kind = Field("meeting__kind", "会议类型", KIND_WIDGET)
    topic = Field("meeting__topic", "议题", TextWidget())
    member = Field("member__name", "姓名", TextWidget())
    present = Field("present", "到会", YesNoWidget())
    absence_reason = Field("absence_reason", "缺席原因", TextWidget())

    optional_columns = ("缺席原因",)

    class Meta(PortalResource.Meta):
        model = MeetingAttendance
        fields = ("organisation", "held_on", "kind", "topic", "member", "present", "absence_reason")
        import_id_fields = ("member",)

    def get_queryset(self):
        return (
            MeetingAttendance.objects.restrict(self.actor)
            .select_related("meeting__organisation", "member")
            .order_by("meeting__held_on", "meeting__organisation__name", "meeting__kind", "member__name")
        )


def _cell(widget, row, column, line, problems):
    try:
        return widget.clean(row.get(column), row=row)
    except (CellError, ValueError) as error:
        problems.append(RowProblem(line, column, str(error.args[0] if error.args else error)))
        return None


def meetings_import(*, actor, uploaded) -> ImportOutcome:
    """Import meetings with their attendance, all or nothing; every bad row is listed."""
    try:
        dataset, lines = read_dataset(uploaded, MeetingAttendanceResource(actor=actor))
    except ImportFileError as error:
        return ImportOutcome(problems=[RowProblem(None, "", str(error))])
    if not len(dataset):
        return ImportOutcome(problems=[RowProblem(None, "", _("The file has a header row but no data rows."))])
    orgs = {
        o.name: o
        for o in PartyOrganisation.objects.restrict(actor).filter(kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
        if can_keep_party_records(actor, o.community_id)
    }
    problems, groups = [], {}
    for line, row in zip(lines, dataset.dict, strict=True):
        org_name = TextWidget().clean(row.get("组织"))
        org = orgs.get(org_name)
        if org is None:
            problems.append(
                RowProblem(line, "组织", _("No party branch or group “%(name)s” that you keep.") % {"name": org_name})
            )
        day = _cell(DateWidget(), row, "日期", line, problems)
        kind = _cell(KIND_WIDGET, row, "会议类型", line, problems)
        topic = TextWidget().clean(row.get("议题"))
        present = _cell(YesNoWidget(), row, "到会", line, problems)
        reason = TextWidget().clean(row.get("缺席原因")) or ""
        name = TextWidget().clean(row.get("姓名"))
        if not topic:
            problems.append(RowProblem(line, "议题", _("This column is required.")))
        if present is False and not reason:
            problems.append(RowProblem(line, "缺席原因", _("Give the reason for the absence.")))
        if org is None or day is None or not kind:
            continue
        if (kind == MeetingKind.GROUP) != (org.kind == OrgKind.GROUP):
            message = (
                _("A party group meeting is held by a party group.")
                if kind == MeetingKind.GROUP
                else _("This kind of meeting is held by a party branch.")
            )
            problems.append(RowProblem(line, "会议类型", message))
            continue
        group = groups.get((org.pk, day, kind))
        if group is None:
            meeting = PartyMeeting(organisation=org, kind=kind, held_on=day, topic=topic or "")
            if PartyMeeting.objects.filter(organisation=org, kind=kind, held_on=day).exists():
                problems.append(RowProblem(line, "日期", _("This meeting is already in the register.")))
            expected = {}
            for member in expected_members(meeting).only("id", "name"):
                expected.setdefault(member.name, []).append(member)
            group = groups[(org.pk, day, kind)] = {"meeting": meeting, "expected": expected, "marks": {}}
        found = group["expected"].get(name, [])
        if len(found) != 1:
            message = (
                _("“%(name)s” is not expected at this meeting.")
                if not found
                else _("“%(name)s” names more than one party member of this community.")
            )
            problems.append(RowProblem(line, "姓名", message % {"name": name}))
        elif found[0].pk in group["marks"]:
            problems.append(RowProblem(line, "姓名", _("“%(name)s” appears twice for this meeting.") % {"name": name}))
        elif present is not None:
            group["marks"][found[0].pk] = (present, reason)
    if problems:
        return ImportOutcome(total=len(dataset), problems=problems)
    with transaction.atomic():
        for group in groups.values():
            meeting = meeting_save(actor=actor, meeting=group["meeting"])
            meeting_attendance_record(actor=actor, meeting=meeting, marks=group["marks"])
    return ImportOutcome(total=len(dataset), created=len(dataset))
