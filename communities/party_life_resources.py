"""Import/export formats of the 党费 ledger (staff), on jiedao.imports — all or nothing.

党费基数: 社区, 姓名, 起始月份 (2005-01), 类别 (在职/离退休/学生下岗低保), 月基数(元); key: member + month.
党费交纳: 社区, 姓名, 金额(元), 交纳日期, 交至年月 (2005-03); key: member + 交至年月.
A member is named by 社区 (编码 or 名称) and 姓名; a name two members of the community share is
refused. Rows go through the services (dues assessed from the rate table, 交至年月 only forward)."""

import re
from datetime import date, datetime

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, DuesBase, DuesPayment, PartyMember
from communities.models.dues import DuesCategory
from communities.periods import parse_period
from communities.services.dues import dues_base_save, dues_payment_record
from jiedao.imports import (
    CellError,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    Field,
    NaturalKeyWidget,
    PortalResource,
    TextWidget,
)

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
