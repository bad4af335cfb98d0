"""Import/export formats of the sub-district's own data (DESIGN §8 街道年度指标)."""

from jiedao.imports import DecimalWidget, Field, IntegerWidget, PortalResource
from jiedao.models import SubDistrictYear
from jiedao.services import subdistrict_year_save


class SubDistrictYearResource(PortalResource):
    """街道年度指标: 年度, 财政收入(万元), 来信来访(件), 集体上访(起), 农民人均纯收入(元). Key: 年度."""

    year = Field("year", "年度", IntegerWidget())
    fiscal_revenue = Field("fiscal_revenue", "财政收入(万元)", DecimalWidget())
    letters_visits = Field("letters_visits", "来信来访(件)", IntegerWidget())
    collective_petitions = Field("collective_petitions", "集体上访(起)", IntegerWidget())
    per_capita_income = Field("per_capita_income", "农民人均纯收入(元)", DecimalWidget())

    class Meta(PortalResource.Meta):
        model = SubDistrictYear
        fields = ("year", "fiscal_revenue", "letters_visits", "collective_petitions", "per_capita_income")
        import_id_fields = ("year",)

    def get_queryset(self):
        return SubDistrictYear.objects.order_by("year")

    def save_via_service(self, instance, is_create):
        subdistrict_year_save(actor=self.actor, instance=instance)
