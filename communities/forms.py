from django import forms

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
