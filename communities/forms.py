from crispy_forms.bootstrap import FormActions, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communities.models import MonthlyUpdate
from communities.selectors.meetings import has_register
from communities.services import (
    MONTHLY_CONTENT_FIELDS,
    MONTHLY_FIGURE_FIELDS,
    MONTHLY_MEETING_FIELDS,
    MONTHLY_NARRATIVE_FIELDS,
)
from jiedao.forms import CrispyModelForm, DateInput
from jiedao.identity import birth_date_of

from .choices import OrgKind
from .models import Cadre, Community, CommunityYear, PartyMember, PartyOrganisation
from .periods import parse_period
from .validators import validate_photo

DATE = DateInput()  # a text box that reads 2026-11-30 and 2026年11月30日 (jiedao/forms.py)


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
    """The roster record. Status is not on the form: it follows the dates (入党 = 支部大会 admitting
    them as 预备党员; 转正 at the end of the 预备期), which the lifecycle pages also record."""

    class Meta:
        model = PartyMember
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "mobile",
            "joined_on",
            "branch",
            "group",
            "oath_on",
            "full_on",
        ]
        widgets = {"birth_date": DATE, "joined_on": DATE, "oath_on": DATE, "full_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = self.instance.community_id
        orgs = (
            PartyOrganisation.objects.filter(community_id=community_id)
            if community_id
            else PartyOrganisation.objects.none()
        )
        self.fields["branch"].queryset = orgs.filter(kind=OrgKind.BRANCH)
        self.fields["group"].queryset = orgs.filter(kind=OrgKind.GROUP)


class CommunityYearForm(CrispyModelForm):
    class Meta:
        model = CommunityYear
        fields = ["year", "collective_income", "per_capita_income", "party_member_count", "is_poor"]


# -- roster editing (import/export engineer) ---------------------------------------------------


class PartyMemberEditForm(PartyMemberForm):
    """A member's form for someone who may not see full numbers (no reveal permission): the ID and
    mobile fields start empty and show only the masked number, a blank field keeps the stored
    number, and the birth date is not on the form at all (it and the ID's last four would rebuild
    the ID): it is taken from a newly entered ID number, otherwise kept."""

    def __init__(self, *args, reveal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.masked = not reveal and self.instance.pk is not None
        if self.masked:
            del self.fields["birth_date"]
            self.initial.pop("birth_date", None)
            self.stored = {"id_number": self.instance.id_number, "mobile": self.instance.mobile}
            shown = (("id_number", self.instance.id_number_masked), ("mobile", self.instance.mobile_masked))
            for name, masked in shown:
                field = self.fields[name]
                field.required = False
                field.widget.attrs["placeholder"] = masked
                field.help_text = _("Now %(masked)s; leave empty to keep it.") % {"masked": masked or "—"}
                self.initial[name] = ""
            self.fields["id_number"].help_text += " " + _("A new ID number also sets the date of birth.")

    def clean(self):
        cleaned = super().clean()
        if self.masked:
            for name, value in self.stored.items():
                if not cleaned.get(name) and name not in self.errors:
                    cleaned[name] = value
                    setattr(self.instance, name, value)
            if cleaned.get("id_number") and cleaned["id_number"] != self.stored["id_number"]:
                self.instance.birth_date = birth_date_of(cleaned["id_number"])
        return cleaned


# -- monthly updates (月度工作报告) -------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several JPEG/PNG photos in one input, each checked by content and size."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_photo])
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "image/jpeg,image/png"

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors += error.messages
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def _row(*names):
    return Row(*(Column(name, css_class="col-sm-6 col-lg-4") for name in names))


SUBMIT_NOTE = _("Fields marked * must be filled in to submit; a draft may leave them empty.")
SUBMIT_REQUIRED = _("Fill this in to submit the update (a draft may leave it empty).")


class MonthlyUpdateForm(forms.ModelForm):
    """The secretary's form. `version` is the stored version the form was loaded from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    photos = PhotosField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG or PNG, at most 5 MB each; choose several at once if you like."),
    )

    class Meta:
        model = MonthlyUpdate
        fields = list(MONTHLY_CONTENT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in MONTHLY_NARRATIVE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        if self.instance.community_id and has_register(self.instance.community_id):
            for name in MONTHLY_MEETING_FIELDS:  # counted from the 三会一课 register by the service
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Counted from the meeting register.")
        for name in MONTHLY_NARRATIVE_FIELDS:  # needed to submit, not to save a draft
            self.fields[name].label = format_html(
                '{} <span class="text-danger" aria-hidden="true">*</span>', self.fields[name].label
            )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *self.leading_fields(),
            Fieldset(
                _("Work this month"),
                HTML(format_html('<p class="small text-muted" data-testid="submit-note">{}</p>', SUBMIT_NOTE)),
                *MONTHLY_NARRATIVE_FIELDS,
            ),
            Fieldset(_("Figures"), _row(*MONTHLY_FIGURE_FIELDS[:3]), _row(*MONTHLY_FIGURE_FIELDS[3:])),
            Fieldset(
                _("Three meetings and one lecture"),
                _row(*MONTHLY_MEETING_FIELDS[:3]),
                _row(*MONTHLY_MEETING_FIELDS[3:]),
            ),
            Fieldset(_("Photos"), "photos"),
            "version",
            FormActions(
                StrictButton(_("Save draft"), type="submit", name="action", value="save", css_class="btn-primary"),
                StrictButton(
                    _("Save and submit"), type="submit", name="action", value="submit", css_class="btn-success"
                ),
            ),
        )

    def leading_fields(self):
        return []

    def clean(self):
        """Saving and submitting needs the four texts: each empty one gets its error beside it, and the
        form being invalid, nothing is created or saved (a draft may leave them empty)."""
        cleaned = super().clean()
        if self.data.get("action") == "submit":
            for name in MONTHLY_NARRATIVE_FIELDS:
                if name in cleaned and not (cleaned[name] or "").strip():
                    self.add_error(name, forms.ValidationError(SUBMIT_REQUIRED, code="required_to_submit"))
        return cleaned

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in MONTHLY_CONTENT_FIELDS}


class MonthlyUpdateCreateForm(MonthlyUpdateForm):
    month = forms.CharField(
        label=_("Month"),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 2005-03 or 2005年3月"), "autocomplete": "off"}),
        help_text=_("The month this update reports on, such as 2005-03 or 2005年3月."),
    )

    def leading_fields(self):
        return ["month"]

    def clean_month(self):
        period = parse_period(self.cleaned_data["month"])
        if period is None:
            raise forms.ValidationError(_("Enter a month such as 2005-03 or 2005年3月."))
        return period


class MonthlyReviewForm(forms.Form):
    comment = forms.CharField(label=_("Review comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
