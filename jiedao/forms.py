from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.models import SubDistrictYear


class CrispyModelForm(forms.ModelForm):
    """A model form rendered by crispy with one submit button."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class SubDistrictYearForm(CrispyModelForm):
    class Meta:
        model = SubDistrictYear
        fields = ["year", "fiscal_revenue", "letters_visits", "collective_petitions", "per_capita_income"]
