from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Cadre
from jiedao.forms import CrispyModelForm, DateInput

from .choices import Choice
from .models import Appraisal, AppraisalCycle, BallotSession, TrainingEvent, TrainingRecord

DATE = DateInput()  # a text box that reads 2026-11-30 and 2026年11月30日 (jiedao/forms.py)


class CycleForm(CrispyModelForm):
    class Meta:
        model = AppraisalCycle
        fields = [
            "year",
            "weight_committee",
            "weight_democratic",
            "weight_target",
            "band_excellent",
            "band_competent",
            "band_basic",
            "pay_excellent",
            "pay_competent",
            "pay_basic",
            "pay_incompetent",
            "points_satisfied",
            "points_basic",
            "points_unsatisfied",
        ]

    def clean(self):
        data = super().clean()
        weights = [data.get("weight_committee"), data.get("weight_democratic"), data.get("weight_target")]
        if None not in weights and sum(weights) != 100:
            self.add_error("weight_target", _("The three weights must add up to 100."))
        bands = [data.get("band_excellent"), data.get("band_competent"), data.get("band_basic")]
        if None not in bands and not (bands[0] > bands[1] > bands[2]):
            self.add_error("band_basic", _("The grade thresholds must fall from excellent to basic."))
        return data


class AppraisalForm(CrispyModelForm):
    upload = forms.FileField(
        label=_("Work report file"),
        required=False,
        help_text=_("PDF, Word, JPEG or PNG, at most 10 MB."),
    )

    class Meta:
        model = Appraisal
        fields = [
            "report_text",
            "score_de",
            "score_neng",
            "score_qin",
            "score_ji",
            "score_lian",
            "veto",
            "veto_reason",
        ]
        widgets = {"report_text": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        if data.get("veto") and not (data.get("veto_reason") or "").strip():
            self.add_error("veto_reason", _("Give the reason for the one-vote veto."))
        return data


class SessionForm(CrispyModelForm):
    class Meta:
        model = BallotSession
        fields = ["community", "expected_voters"]

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:
            self.instance.cycle = cycle
        if self.instance.pk:
            self.fields["community"].disabled = True


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=1000)


class PaperTallyForm(forms.Form):
    """实到, 有效, 废票 and three counts per cadre on the ballot."""

    paper_present = forms.IntegerField(label=_("Present (实到)"), min_value=0)
    paper_valid = forms.IntegerField(label=_("Valid ballots"), min_value=0)
    paper_invalid = forms.IntegerField(label=_("Spoilt ballots"), min_value=0)

    def __init__(self, *args, session, cadres, tallies, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadres = list(cadres)
        self.initial.setdefault("paper_present", session.paper_present)
        self.initial.setdefault("paper_valid", session.paper_valid)
        self.initial.setdefault("paper_invalid", session.paper_invalid)
        for cadre in self.cadres:
            tally = tallies.get(cadre.pk)
            for choice in Choice:
                name = f"c{cadre.pk}_{choice.value}"
                self.fields[name] = forms.IntegerField(
                    label=f"{cadre.name} · {choice.label}", min_value=0, initial=getattr(tally, choice.value, 0)
                )

    def rows(self):
        for cadre in self.cadres:
            yield cadre, [self[f"c{cadre.pk}_{choice.value}"] for choice in Choice]

    def counts(self) -> dict[int, tuple[int, int, int]]:
        return {
            cadre.pk: tuple(self.cleaned_data[f"c{cadre.pk}_{choice.value}"] for choice in Choice)
            for cadre in self.cadres
        }


class BallotForm(forms.Form):
    """The public ballot: one 满意 / 基本满意 / 不满意 choice per cadre."""

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadres = list(cadres)
        for cadre in self.cadres:
            self.fields[f"cadre_{cadre.pk}"] = forms.ChoiceField(
                label=f"{cadre.name}（{cadre.post}）",
                choices=Choice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a rating for this cadre.")},
            )

    def ratings(self) -> dict[int, str]:
        return {cadre.pk: self.cleaned_data[f"cadre_{cadre.pk}"] for cadre in self.cadres}


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Ballot code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class TrainingEventForm(CrispyModelForm):
    class Meta:
        model = TrainingEvent
        fields = ["kind", "title", "start_date", "end_date", "place", "organiser", "hours", "headcount"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class TrainingRecordForm(CrispyModelForm):
    submit_label = _("Add")

    class Meta:
        model = TrainingRecord
        fields = ["cadre", "hours"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["cadre"].queryset = Cadre.objects.select_related("community").order_by(
            "community__code", "term_start", "name"
        )
        self.fields["cadre"].label_from_instance = lambda c: f"{c.community.name} · {c.name}（{c.post}）"


class RequirementForm(forms.Form):
    minimum_hours = forms.DecimalField(label=_("Minimum hours"), min_value=0, max_digits=6, decimal_places=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.add_input(Submit("submit", _("Save")))
