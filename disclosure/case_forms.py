"""Forms of the case ledger: validation only, the services write."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from disclosure.models import CaseCategory, CaseChannel, Satisfaction
from jiedao.permissions import ROLE_GROUPS, Role


def case_handlers(community_id: int):
    """Who may handle a case of this community: staff, and the community's secretaries."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=ROLE_GROUPS[Role.STAFF])
            | Q(groups__name=ROLE_GROUPS[Role.SECRETARY], profile__community_id=community_id)
        )
        .distinct()
        .order_by("username")
    )


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


# Up to this many communities the filing form lists them to pick from; past it (a city of thousands,
# where the list alone would outweigh the page) the resident types the community's name, as the
# staff notices' board filter does (BOARD_CHOICES_LIMIT in disclosure/views).
COMMUNITY_CHOICES_LIMIT = 50


class CommunityNameField(forms.CharField):
    """A community by its full name (names are unique), exactly: one query, whatever the number of
    communities."""

    default_error_messages = {
        "unknown": _("There is no community named “%(name)s”; please check the community's full name."),
    }

    def clean(self, value):
        name = super().clean(value)
        community = Community.objects.filter(name=name).first()
        if community is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"name": name})
        return community


class CaseFileForm(forms.Form):
    """A resident's filing: phone-first, four fields and a honeypot. The community is a list up to
    COMMUNITY_CHOICES_LIMIT communities, a box for its name past it (one query either way)."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.order_by("code"))
    category = forms.ChoiceField(label=_("Category"), choices=CaseCategory.choices)
    body = forms.CharField(
        label=_("Your request or complaint"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=100,
        required=False,
        help_text=_("A phone number for the handler to call you back. It is never shown publicly."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        rows = list(field.queryset.values_list("pk", "name")[: COMMUNITY_CHOICES_LIMIT + 1])
        if len(rows) > COMMUNITY_CHOICES_LIMIT:
            self.fields["community"] = CommunityNameField(
                label=field.label,
                max_length=Community._meta.get_field("name").max_length,
                help_text=_("Type the full name of your community."),
                widget=forms.TextInput(attrs={"autocomplete": "off", "data-testid": "case-community-name"}),
            )
        else:  # the rows read above are the options: no second query when the list renders
            field.choices = [("", field.empty_label), *rows]


class CaseRecordForm(forms.Form):
    """Staff or a secretary record a letter, a visit or a call."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in CaseChannel.choices if c[0] != CaseChannel.ONLINE]
    )
    category = forms.ChoiceField(label=_("Category"), choices=CaseCategory.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Request or complaint"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(label=_("Contact details"), max_length=100, required=False)
    collective = forms.BooleanField(label=_("Collective petition (five or more people together)"), required=False)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class AssignForm(forms.Form):
    handler = HandlerChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = case_handlers(case.community_id)


class TransferForm(forms.Form):
    community = forms.ModelChoiceField(label=_("To community"), queryset=Community.objects.order_by("code"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Answer"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The resident reads this with their query code."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Query code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class RateForm(CodeForm):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )


class ReopenForm(CodeForm):
    reason = forms.CharField(
        label=_("Why is the matter not settled?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
