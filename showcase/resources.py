"""Import/export formats of the demonstration-site programme (docs/import.md).

创建标准: 年度, 编号, 类别 (硬件/软件), 名称, 说明, 分值, 必备 (是/否). Key: 年度 + 编号.
示范点资金: 年度, 社区, 来源 (街道补助/以奖代补奖励/社区自筹), 金额(万元), 日期, 用途.
Key: 年度 + 社区 + 来源 + 日期 + 用途 (a re-imported export updates its lines, never doubles them).

All or nothing, as every import (jiedao.imports); every row is saved through the services, so the
award-only-after-acceptance rule and the permissions hold here as in the forms."""

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

from .choices import FundingSource, SiteStatus, StandardCategory
from .models import Funding, Programme, Site, Standard
from .services import funding_save, standard_save

# The labels used in files: fixed, whatever the language of the user interface.
CATEGORY_LABELS = {StandardCategory.HARDWARE: "硬件", StandardCategory.SOFTWARE: "软件"}
SOURCE_LABELS = {
    FundingSource.SUBSIDY: "街道补助",
    FundingSource.AWARD: "以奖代补奖励",
    FundingSource.SELF_RAISED: "社区自筹",
}
YEAR_COLUMN = "年度"


class StandardResource(PortalResource):
    """创建标准. Key: 年度 + 编号."""

    programme = Field("programme", YEAR_COLUMN, NaturalKeyWidget(Programme, "year", label=gettext_lazy("programme")))
    code = Field("code", "编号")
    category = Field("category", "类别", ChoiceWidget(CATEGORY_LABELS, StandardCategory.choices))
    title = Field("title", "名称")
    description = Field("description", "说明")
    points = Field("points", "分值", IntegerWidget())
    required = Field("required", "必备", YesNoWidget())

    optional_columns = ("说明",)

    class Meta(PortalResource.Meta):
        model = Standard
        fields = ("programme", "code", "category", "title", "description", "points", "required")
        import_id_fields = ("programme", "code")

    def get_queryset(self):
        return Standard.objects.select_related("programme").order_by("programme__year", "code")

    def save_via_service(self, instance, is_create):
        standard_save(actor=self.actor, standard=instance)


class SiteWidget(NaturalKeyWidget):
    """社区 of a funding line: the site of that community (编码 or 名称) in the row's 年度."""

    def __init__(self):
        super().__init__(Site, "community")

    def _lookup(self, key):
        if self._index is None:
            self._index = {}
            for site in Site.objects.select_related("community", "programme"):
                for name in (site.community.code, site.community.name):
                    self._index.setdefault((site.programme.year, name), site)
        return self._index.get(key)

    def clean(self, value, row=None, **kwargs):
        try:
            year = IntegerWidget().clean((row or {}).get(YEAR_COLUMN))
        except ValueError:
            year = None
        if year is None:
            raise CellError(_("Write the programme's year in the 年度 column."))
        if value is None or not force_str(value).strip():
            raise CellError(_("This column is required."))
        key = force_str(value).strip(" \u3000")
        site = self._lookup((year, key))
        if site is None:
            raise CellError(
                _("%(community)s is not a demonstration site in %(year)s.") % {"community": key, "year": year}
            )
        return site

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.community.name


class FundingResource(PortalResource):
    """示范点资金. Key: 年度 + 社区 + 来源 + 日期 + 用途."""

    year = Field("site__programme__year", YEAR_COLUMN, IntegerWidget(), readonly=True)
    site = Field("site", "社区", SiteWidget())
    source = Field("source", "来源", ChoiceWidget(SOURCE_LABELS, FundingSource.choices))
    amount = Field("amount", "金额(万元)", DecimalWidget())
    date = Field("date", "日期", DateWidget())
    purpose = Field("purpose", "用途", TextWidget())

    class Meta(PortalResource.Meta):
        model = Funding
        fields = ("year", "site", "source", "amount", "date", "purpose")
        import_id_fields = ("site", "source", "date", "purpose")

    def get_queryset(self):
        return Funding.objects.select_related("site__community", "site__programme").order_by(
            "site__programme__year", "site__community__code", "date", "id"
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The award rule is reported on its row and column, beside the row's other problems."""
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        site = getattr(instance, "site", None) if instance.site_id else None
        if instance.source == FundingSource.AWARD and site is not None and site.status != SiteStatus.ACCEPTED:
            message = _("An award in place of subsidy can only be recorded for a site that passed acceptance.")
            errors.setdefault("source", []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)

    def save_via_service(self, instance, is_create):
        funding_save(actor=self.actor, funding=instance)
