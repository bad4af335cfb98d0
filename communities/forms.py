from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.forms import CrispyModelForm

from .models import Cadre, Community, CommunityYear, PartyMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommunityForm(CrispyModelForm):
    class Meta:
        model = Community
        fields = [
            "code",
            "name",
            "kind",
            "area_km2",
            "households",
            "population",
            "party_org_name",
            "party_org_kind",
            "formerly_poor",
        ]


class CadreForm(CrispyModelForm):
    class Meta:
        model = Cadre
        fields = ["name", "post", "committee", "term_start", "term_end", "directly_elected", "education"]
        widgets = {"term_start": DATE, "term_end": DATE}


class PartyMemberForm(CrispyModelForm):
    class Meta:
        model = PartyMember
        fields = ["name", "gender", "birth_date", "id_number", "mobile", "joined_on", "category"]
        widgets = {"birth_date": DATE, "joined_on": DATE}


class CommunityYearForm(CrispyModelForm):
    class Meta:
        model = CommunityYear
        fields = ["year", "collective_income", "per_capita_income", "party_member_count", "is_poor"]


# -- roster editing (import/export engineer) ---------------------------------------------------


class PartyMemberEditForm(PartyMemberForm):
    """A member's form for someone who may not see full numbers: the ID and mobile fields start
    empty, show the masked number, and a blank field keeps the stored number."""

    def __init__(self, *args, reveal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.masked = not reveal and self.instance.pk is not None
        if self.masked:
            self.stored = {"id_number": self.instance.id_number, "mobile": self.instance.mobile}
            shown = (("id_number", self.instance.id_number_masked), ("mobile", self.instance.mobile_masked))
            for name, masked in shown:
                field = self.fields[name]
                field.required = False
                field.widget.attrs["placeholder"] = masked
                field.help_text = _("Now %(masked)s; leave empty to keep it.") % {"masked": masked or "—"}
                self.initial[name] = ""

    def clean(self):
        cleaned = super().clean()
        if self.masked:
            for name, value in self.stored.items():
                if not cleaned.get(name) and name not in self.errors:
                    cleaned[name] = value
                    setattr(self.instance, name, value)
        return cleaned
