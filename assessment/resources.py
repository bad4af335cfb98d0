"""Import/export format of a training event's attendance (参训人员), on jiedao.imports.

Columns: 社区 (编码 or 名称), 姓名, 学时 (optional: blank means the event's hours). One file is one
event's attendance; the key of a row is the cadre, so re-importing an export updates the rows and
never doubles them. All or nothing, as every import: one unknown cadre and no row is written.
"""

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Cadre, Community
from jiedao.imports import CellError, DecimalWidget, Field, NaturalKeyWidget, PortalResource, TextWidget

from .models import TrainingRecord
from .services import training_record_save

COMMUNITY_COLUMN = "社区"


class CadreWidget(NaturalKeyWidget):
    """姓名 of a cadre, found within the row's 社区 (by the community's 编码 or 名称)."""

    def __init__(self):
        super().__init__(Cadre, "name", label=gettext_lazy("cadre"))

    def _lookup(self, key):
        if self._index is None:
            self._index = {}
            for cadre in Cadre.objects.select_related("community"):
                for community_key in (cadre.community.code, cadre.community.name):
                    self._index.setdefault((community_key, cadre.name), []).append(cadre)
        return self._index.get(key, [])

    def clean(self, value, row=None, **kwargs):
        name = TextWidget().clean(value)
        if not name:
            raise CellError(_("This column is required."))
        community = TextWidget().clean((row or {}).get(COMMUNITY_COLUMN))
        found = self._lookup((community, name))
        if not found:
            raise CellError(_("No cadre “%(name)s” in “%(community)s”.") % {"name": name, "community": community})
        if len(found) > 1:
            raise CellError(_("“%(name)s” names more than one cadre of this community.") % {"name": name})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value.name)


class AttendanceResource(PortalResource):
    """One training event's attendance: 社区, 姓名, 学时."""

    community = Field("import_community", COMMUNITY_COLUMN, NaturalKeyWidget(Community, "code", "name"))
    cadre = Field("cadre", "姓名", CadreWidget())
    hours = Field("hours", "学时", DecimalWidget())

    optional_columns = ("学时",)

    class Meta(PortalResource.Meta):
        model = TrainingRecord
        fields = ("community", "cadre", "hours")
        import_id_fields = ("cadre",)

    def __init__(self, *, event=None, **kwargs):
        super().__init__(**kwargs)
        self.event = event

    def get_queryset(self):
        return (
            TrainingRecord.objects.filter(event=self.event)
            .select_related("cadre__community")
            .order_by("cadre__community__code", "cadre__name")
        )

    def dehydrate_community(self, record):
        return record.cadre.community.name if record.cadre_id else ""

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.event = self.event
        super().after_init_instance(instance, new, row, **kwargs)

    def save_via_service(self, instance, is_create):
        training_record_save(actor=self.actor, record=instance)
