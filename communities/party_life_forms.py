"""Forms of the 三会一课 register and the 党费 ledger (validation and layout only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.choices import OrgKind
from communities.forms import PhotosField
from communities.models import DuesBase, DuesPayment, DuesRateBand, PartyMeeting, PartyOrganisation
from communities.models.dues import DuesReviewStatus
from communities.periods import parse_period
from communities.services.dues import DECISIONS
from jiedao.forms import CrispyModelForm


class MonthField(forms.CharField):
    """A month typed as 2005-03 (the browser's month picker); cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        period = parse_period(value)
        if period is None:
            raise forms.ValidationError(_("Enter a month such as 2005-03."))
        return period

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if hasattr(value, "year") else value


class DuesRateBandForm(CrispyModelForm):
    class Meta:
        model = DuesRateBand
        fields = ["category", "income_above", "income_up_to", "rate_percent", "fixed_amount"]


class DuesBaseForm(CrispyModelForm):
    effective_from = MonthField(label=_("Effective from (month)"))

    class Meta:
        model = DuesBase
        fields = ["effective_from", "category", "monthly_base"]


class DuesPaymentForm(CrispyModelForm):
    paid_through = MonthField(label=_("Paid through (month)"))

    class Meta:
        model = DuesPayment
        fields = ["amount", "paid_on", "paid_through", "note"]
        widgets = {"paid_on": forms.DateInput(attrs={"type": "date"})}


class DuesReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"), choices=[(s.value, s.label) for s in DuesReviewStatus if s in DECISIONS]
    )
    note = forms.CharField(label=_("What was decided and why"), widget=forms.Textarea(attrs={"rows": 3}))


class HalfYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Half-year"), coerce=int, choices=[(1, _("first half")), (2, _("second half"))]
    )


class PartyMeetingForm(CrispyModelForm):
    class Meta:
        model = PartyMeeting
        fields = ["organisation", "kind", "held_on", "topic", "place", "decisions", "minutes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(
            community=community, kind__in=[OrgKind.BRANCH, OrgKind.GROUP]
        ).order_by("name")


class MeetingPhotosForm(forms.Form):
    photos = PhotosField(label=_("Add photos"), help_text=_("JPEG or PNG, at most 5 MB each."))
