from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.dates import normalise_date_text, parse_date_text
from jiedao.models import AnnualReportText, SubDistrictYear


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


# -- dates: one widget and field for every date of every form (jiedao/dates.py) -------------------


class DateInput(forms.DateInput):
    """A text box for a date, not the browser's date control: what was typed comes back as typed
    when the form has errors, and 2026年11月30日 can be typed at all. Full-width digits and spaces
    are normalised before the field parses the text (jiedao.dates, FORMAT_MODULE_PATH)."""

    input_type = "text"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        attrs = {"placeholder": _("e.g. 2026-11-30 or 2026年11月30日"), "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format=format)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return normalise_date_text(value) if isinstance(value, str) and value.strip() else value


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Enter a date such as 2026-11-30 or 2026年11月30日.")}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_date_text(value)
            if parsed is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return parsed
        return super().to_python(value)


class AnnualReportTextForm(CrispyModelForm):
    """存在问题和下步打算 and the 落款 of one year's report (the year comes from the address)."""

    class Meta:
        model = AnnualReportText
        fields = ["problems", "plans", "signatory", "signed_on"]
        widgets = {"problems": forms.Textarea(attrs={"rows": 10}), "plans": forms.Textarea(attrs={"rows": 10})}
        field_classes = {"signed_on": DateField}
        help_texts = {
            "problems": _("Drafted from the problems in the communities' latest accepted monthly updates."),
            "plans": _("Drafted from the plans of the same updates; a blank line starts a new paragraph."),
        }
