from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.forms import CrispyModelForm, DateInput

from .models import Funding, Inspection, Programme, Rectification, Site, Standard

DATE = DateInput()  # a text box that reads 2026-11-30 and 2026年11月30日 (jiedao/forms.py)
PHOTO = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})


class CrispyForm(forms.Form):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class ProgrammeForm(CrispyModelForm):
    load_defaults = forms.BooleanField(label=_("Load the default standards checklist"), required=False, initial=True)

    class Meta:
        model = Programme
        fields = ["year", "name", "description", "bonus_points"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["load_defaults"]


class StandardForm(CrispyModelForm):
    class Meta:
        model = Standard
        fields = ["code", "category", "title", "description", "points", "required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SiteForm(CrispyModelForm):
    class Meta:
        model = Site
        fields = ["community", "theme", "goal", "economic_tier"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3})}


class SiteAcceptForm(CrispyForm):
    submit_label = _("Record acceptance")
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Not passed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=4, decimal_places=1)
    accepted_on = forms.DateField(label=_("Acceptance date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CheckForm(CrispyForm):
    met = forms.BooleanField(label=_("The site meets this standard"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Evidence photo"), required=False, widget=PHOTO)
    caption = forms.CharField(label=_("Caption"), required=False, max_length=100)


class FundingForm(CrispyModelForm):
    class Meta:
        model = Funding
        fields = ["source", "amount", "date", "purpose"]
        widgets = {"date": DATE}


class InspectionForm(CrispyModelForm):
    class Meta:
        model = Inspection
        fields = ["kind", "date", "participants", "sites", "minutes"]
        widgets = {"date": DATE, "sites": forms.CheckboxSelectMultiple, "minutes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["sites"].queryset = programme.sites.select_related("community").order_by("community__code")


class RectificationForm(CrispyModelForm):
    photo = forms.FileField(label=_("Photo before the fix"), required=False, widget=PHOTO)

    class Meta:
        model = Rectification
        fields = ["site", "standard", "description", "deadline"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.inspection = inspection
        self.fields["site"].queryset = inspection.sites.select_related("community").order_by("community__code")
        self.fields["standard"].queryset = inspection.programme.standards.order_by("code")


class RectificationReportForm(CrispyForm):
    submit_label = _("Report the fix")
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo after the fix"), widget=PHOTO)
