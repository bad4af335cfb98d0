"""Import/export formats of the communities app (DESIGN §8; docs/import.md describes them).

Every resource has an explicit column whitelist, finds the community by its 编码 or 名称, writes
booleans as 是/否, dates as YYYY-MM-DD and choices by their Chinese labels, and saves every row
through the app's services (which check the importer's permission and run full_clean)."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiedao.imports import (
    CellError,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    Field,
    IntegerWidget,
    NaturalKeyWidget,
    PortalResource,
    TextWidget,
    YesNoWidget,
)
from jiedao.permissions import can_reveal_identity

from .choices import CommunityKind, Education, Gender, MemberStatus, OrgKind
from .models import Cadre, Community, CommunityYear, PartyMember, PartyOrganisation, add_years
from .services import cadre_save, community_save, community_year_save, party_member_bulk_save, party_member_save

# The labels used in files: fixed, whatever the language of the user interface.
KIND_LABELS = {CommunityKind.URBAN: "城市社区", CommunityKind.VILLAGE: "村改居"}
EDUCATION_LABELS = {
    Education.POSTGRADUATE: "研究生",
    Education.BACHELOR: "大学本科",
    Education.COLLEGE: "大专",
    Education.SECONDARY: "高中/中专",
    Education.JUNIOR: "初中及以下",
}
MASKED = gettext_noop("This number is masked (from an export without the reveal permission); enter it in full.")
GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
# 党员类别 is not stored: it follows the dates. On import it is checked against them (a 正式 row
# without a 转正日期 turned full at the end of its one-year 预备期, 按期转正).
CATEGORY_LABELS = {MemberStatus.FULL: "正式", MemberStatus.PROBATIONARY: "预备"}
CATEGORY_CHOICES = [
    (MemberStatus.FULL, MemberStatus.FULL.label),
    (MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
]


def community_widget() -> NaturalKeyWidget:
    """社区: the community's 编码 or 名称 on import; its 名称 on export."""
    return NaturalKeyWidget(Community, "code", "name")


class CommunityResource(PortalResource):
    """社区. Key: 编码."""

    code = Field("code", "编码")
    name = Field("name", "名称")
    kind = Field("kind", "类型", ChoiceWidget(KIND_LABELS, CommunityKind.choices))
    area_km2 = Field("area_km2", "面积(平方公里)", DecimalWidget())
    households = Field("households", "户数", IntegerWidget())
    population = Field("population", "人口", IntegerWidget())
    party_org_name = Field("party_org_name", "党组织名称")
    formerly_poor = Field("formerly_poor", "曾为贫困村", YesNoWidget())

    class Meta(PortalResource.Meta):
        model = Community
        fields = ("code", "name", "kind", "area_km2", "households", "population", "party_org_name", "formerly_poor")
        import_id_fields = ("code",)

    def get_queryset(self):
        return Community.objects.order_by("code")

    def save_via_service(self, instance, is_create):
        community_save(actor=self.actor, community=instance)


class CommunityYearResource(PortalResource):
    """社区年度指标 (and an optional 贫困村 column). Key: 社区 + 年度."""

    optional_columns = ("贫困村",)

    community = Field("community", "社区", community_widget())
    year = Field("year", "年度", IntegerWidget())
    collective_income = Field("collective_income", "集体经济可支配收入(万元)", DecimalWidget())
    per_capita_income = Field("per_capita_income", "农民人均纯收入(元)", DecimalWidget())
    party_member_count = Field("party_member_count", "党员人数", IntegerWidget())
    is_poor = Field("is_poor", "贫困村", YesNoWidget())

    class Meta(PortalResource.Meta):
        model = CommunityYear
        fields = ("community", "year", "collective_income", "per_capita_income", "party_member_count", "is_poor")
        import_id_fields = ("community", "year")

    def get_queryset(self):
        return CommunityYear.objects.select_related("community").order_by("community__code", "year")

    def save_via_service(self, instance, is_create):
        community_year_save(actor=self.actor, record=instance)


class CadreResource(PortalResource):
    """干部. Key: 社区 + 姓名 + 职务 + 任职开始."""

    community = Field("community", "社区", community_widget())
    name = Field("name", "姓名")
    post = Field("post", "职务")
    term_start = Field("term_start", "任职开始", DateWidget())
    term_end = Field("term_end", "任职结束", DateWidget())
    directly_elected = Field("directly_elected", "公推直选", YesNoWidget())
    education = Field("education", "学历", ChoiceWidget(EDUCATION_LABELS, Education.choices, required=False))

    class Meta(PortalResource.Meta):
        model = Cadre
        fields = ("community", "name", "post", "term_start", "term_end", "directly_elected", "education")
        import_id_fields = ("community", "name", "post", "term_start")

    def get_queryset(self):
        return Cadre.objects.select_related("community").order_by("community__code", "term_start", "name", "id")

    def save_via_service(self, instance, is_create):
        cadre_save(actor=self.actor, cadre=instance)


class IdNumberWidget(TextWidget):
    """An ID number as text; a masked number (with *) or one Excel turned into a number is refused."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise CellError(_("Store ID numbers as text in the spreadsheet; this one was turned into a number."))
        text = super().clean(value, row, **kwargs).upper()
        if "*" in text:
            raise CellError(_(MASKED))
        return text


class MobileWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if "*" in text:
            raise CellError(_(MASKED))
        return text


AGE_HEADER = "年龄"


class OptionalOrgWidget(NaturalKeyWidget):
    """党支部/党小组 by name; blank means none."""

    def __init__(self, kind):
        super().__init__(PartyOrganisation, "name")
        self.kind = kind

    def get_queryset(self):
        return PartyOrganisation.objects.filter(kind=self.kind)

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip(" \u3000"):
            return None
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class PartyMemberResource(PortalResource):
    """党员. Key: 身份证号. ID and mobile numbers are exported masked unless the exporter may
    reveal them (jiedao.permissions.can_reveal_identity); a masked file cannot be imported."""

    community = Field("community", "社区", community_widget())
    name = Field("name", "姓名")
    gender = Field("gender", "性别", ChoiceWidget(GENDER_LABELS, Gender.choices))
    birth_date = Field("birth_date", "出生日期", DateWidget())
    id_number = Field("id_number", "身份证号", IdNumberWidget())
    mobile = Field("mobile", "手机号", MobileWidget())
    joined_on = Field("joined_on", "入党日期", DateWidget())
    category = Field("status_check", "党员类别", ChoiceWidget(CATEGORY_LABELS, CATEGORY_CHOICES, required=False))
    branch = Field("branch", "党支部", OptionalOrgWidget(OrgKind.BRANCH))
    group = Field("group", "党小组", OptionalOrgWidget(OrgKind.GROUP))
    oath_on = Field("oath_on", "入党宣誓日期", DateWidget())
    full_on = Field("full_on", "转正日期", DateWidget())
    optional_columns = ("党员类别", "党支部", "党小组", "入党宣誓日期", "转正日期")

    class Meta(PortalResource.Meta):
        model = PartyMember
        fields = (
            "community",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "mobile",
            "joined_on",
            "category",
            "branch",
            "group",
            "oath_on",
            "full_on",
        )
        import_id_fields = ("id_number",)  # covers the model's only unique field
        use_bulk = True  # rosters are long: checked in Python, written in one go (DESIGN §13)
        batch_size = None

    def check_row(self, member):
        """The model's CheckConstraint, checked in Python (bulk mode runs no per-row query), and
        the 党员类别 column against the dates."""
        if member.joined_on and member.birth_date and member.joined_on <= member.birth_date:
            return {"joined_on": _("The date joined the party must be after the date of birth.")}
        declared = getattr(member, "status_check", "")
        if member.joined_on and declared == MemberStatus.FULL and member.full_on is None:
            on_time = add_years(member.joined_on, 1)
            if on_time > date.today():
                return {"status_check": _("Joined less than a year ago: still a probationary member.")}
            member.full_on = on_time  # 按期转正
        if declared == MemberStatus.PROBATIONARY and member.full_on is not None:
            return {"status_check": _("A member with a date of full membership is not probationary.")}
        if member.branch_id and member.branch.community_id != member.community_id:
            return {"branch": _("The party branch belongs to another community.")}
        if member.group_id and member.group.parent_id != member.branch_id:
            return {"group": _("The party group must be one of the branch's groups.")}
        return {}

    def dehydrate_category(self, member):
        return CATEGORY_LABELS[MemberStatus.FULL if member.is_full else MemberStatus.PROBATIONARY]

    def __init__(self, *, actor=None, reveal: bool | None = None, **kwargs):
        super().__init__(actor=actor, **kwargs)
        self.reveal = can_reveal_identity(actor) if reveal is None else (reveal and can_reveal_identity(actor))

    def get_queryset(self):
        return PartyMember.objects.select_related("community", "branch", "group").order_by(
            "community__code", "name", "id"
        )

    def export(self, queryset=None, **kwargs):
        """Without the reveal permission the birth-date column becomes an age column: the birth
        date and the ID's last four would rebuild the whole ID."""
        dataset = super().export(queryset=queryset, **kwargs)
        if not self.reveal:
            dataset.headers = [AGE_HEADER if h == self.fields["birth_date"].column_name else h for h in dataset.headers]
        return dataset

    def export_field(self, field, instance, **kwargs):
        if field is self.fields["birth_date"] and not self.reveal:
            return instance.age
        return super().export_field(field, instance, **kwargs)

    def dehydrate_id_number(self, member):
        return member.id_number if self.reveal else member.id_number_masked

    def dehydrate_mobile(self, member):
        return member.mobile if self.reveal else member.mobile_masked

    def save_via_service(self, instance, is_create):
        party_member_save(actor=self.actor, member=instance)

    def save_many_via_service(self, *, created, updated):
        party_member_bulk_save(actor=self.actor, created=created, updated=updated)
