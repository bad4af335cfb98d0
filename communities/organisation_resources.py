"""党组织 import and export (issue 14 item 8; docs/import.md). Key: 名称. Rows are saved one by one
through `organisation_save` in file order, so a parent named above its children is found; the whole
file is refused, every bad row listed, if any row is wrong."""

from django.utils.translation import gettext as _

from jiedao.imports import CellError, ChoiceWidget, DateWidget, Field, NaturalKeyWidget, PortalResource

from .choices import OrgKind
from .models import Community, PartyOrganisation
from .services.organisation import organisation_save

KIND_LABELS = {
    OrgKind.WORKING_COMMITTEE: "党工委",
    OrgKind.COMMITTEE: "党委",
    OrgKind.GENERAL_BRANCH: "党总支",
    OrgKind.BRANCH: "党支部",
    OrgKind.GROUP: "党小组",
}
KIND_SYNONYMS = {
    "街道党工委": "党工委",
    "党委员会": "党委",
    "总支": "党总支",
    "党总支部": "党总支",
    "支部": "党支部",
    "社区党支部": "党支部",
    "小组": "党小组",
}


class OptionalCommunityWidget(NaturalKeyWidget):
    """社区 by 编码 or 名称; blank for the 街道党工委."""

    def __init__(self):
        super().__init__(Community, "code", "name")

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip(" \u3000"):
            return None
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class ParentWidget(NaturalKeyWidget):
    """上级组织 by name, read from the database at each row (a parent created above in the same file
    counts); blank for the root."""

    def __init__(self):
        super().__init__(PartyOrganisation, "name")

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip(" \u3000"):
            return None
        key = str(value).strip(" \u3000")
        found = PartyOrganisation.objects.filter(name=key).first()
        if found is None:
            raise CellError(
                _("No party organisation “%(value)s” (name one listed above it or already recorded).") % {"value": key}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class PartyOrganisationResource(PortalResource):
    name = Field("name", "名称")
    kind = Field("kind", "类型", ChoiceWidget(KIND_LABELS, OrgKind.choices, synonyms=KIND_SYNONYMS))
    parent = Field("parent", "上级组织", ParentWidget())
    community = Field("community", "社区", OptionalCommunityWidget())
    founded_on = Field("founded_on", "成立日期", DateWidget())
    term_start = Field("term_start", "本届起始", DateWidget())
    term_end = Field("term_end", "本届届满", DateWidget())
    optional_columns = ("成立日期", "本届起始", "本届届满")

    class Meta(PortalResource.Meta):
        model = PartyOrganisation
        fields = ("name", "kind", "parent", "community", "founded_on", "term_start", "term_end")
        import_id_fields = ("name",)

    def get_queryset(self):
        return PartyOrganisation.objects.select_related("parent", "community").order_by("parent_id", "name", "id")

    def export(self, queryset=None, **kwargs):
        """Parents before children, so the export re-imports as it is."""
        rows = list(self.get_queryset() if queryset is None else queryset)
        by_parent: dict = {}
        for org in rows:
            by_parent.setdefault(org.parent_id, []).append(org)
        ordered, stack = [], list(reversed(by_parent.get(None, [])))
        known = {o.pk for o in rows}
        stack += [o for o in rows if o.parent_id is not None and o.parent_id not in known]
        while stack:
            org = stack.pop()
            ordered.append(org)
            stack.extend(reversed(by_parent.get(org.pk, [])))
        return super().export(queryset=ordered, **kwargs)

    def save_via_service(self, instance, is_create):
        organisation_save(actor=self.actor, organisation=instance)
