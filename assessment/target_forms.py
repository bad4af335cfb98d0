"""Forms of the target sheets (目标管理考核): validation and layout only, no saving."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.forms import CrispyModelForm

from .models import TargetItem, TargetSheet


class CrispyForm(forms.Form):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class TargetSheetForm(CrispyModelForm):
    class Meta:
        model = TargetSheet
        fields = ["year", "title", "appeal_workdays"]


class TargetItemForm(CrispyModelForm):
    """The scoring rule's parameters as two plain fields (the rate scorers) and one for the bonus."""

    zero_at = forms.DecimalField(
        label=_("Rate that earns no points"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("For items scored from a rate, e.g. 0.5 for 50 %. Empty: 0."),
    )
    full_at = forms.DecimalField(
        label=_("Rate that earns every point"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("Empty: 1 (100 %). Points grow linearly between the two."),
    )
    progress_share = forms.DecimalField(
        label=_("Share of the bonus for a site not yet accepted"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("Demonstration site only: multiplied by its progress. Empty: 0.5."),
    )

    class Meta:
        model = TargetItem
        fields = ["order", "name", "kind", "max_points", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("zero_at", "full_at", "progress_share"):
            if name in (self.instance.params or {}):
                self.initial[name] = Decimal(str(self.instance.params[name]))

    def clean(self):
        data = super().clean()
        zero_at, full_at = data.get("zero_at"), data.get("full_at")
        if zero_at is not None and full_at is not None and full_at <= zero_at:
            self.add_error("full_at", _("The rate for every point must be above the rate for none."))
        self.instance.params = {
            name: str(data[name]) for name in ("zero_at", "full_at", "progress_share") if data.get(name) is not None
        }
        return data


class ManualScoreForm(CrispyForm):
    points = forms.DecimalField(label=_("Points"), min_value=0, decimal_places=2)
    note = forms.CharField(label=_("What the evidence shows"), widget=forms.Textarea(attrs={"rows": 3}))
    upload = forms.FileField(
        label=_("Evidence file"), required=False, help_text=_("PDF, Word, Excel, JPEG or PNG, at most 10 MB.")
    )
    link = forms.CharField(
        label=_("Or a link to a record in the portal"),
        required=False,
        max_length=300,
        help_text=_("The address of the page, e.g. /showcase/sites/3/"),
    )


class AppealForm(CrispyForm):
    submit_label = _("File the appeal")
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecisionForm(CrispyForm):
    submit_label = _("Decide")
    adjust = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Uphold the score")), ("1", _("Adjust the score"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    points = forms.DecimalField(label=_("New points"), required=False, min_value=0, decimal_places=2)
    decision_reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("adjust") and data.get("points") is None:
            self.add_error("points", _("Give the new points."))
        return data
