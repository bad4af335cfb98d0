"""Forms of the 居务 chain, the 街道's monitoring, decision trails and the event ledger."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jiedao.forms import CrispyModelForm
from jiedao.permissions import ROLE_GROUPS, Role

from .choices import Frequency, Level, NoticeStatus
from .forms import DATE
from .models import (
    CatalogItem,
    Decision,
    DecisionItem,
    DisclosureEvent,
    FinanceLine,
    Instruction,
    MeetingOpinion,
    Notice,
    OpenMeeting,
    SampleCheck,
    SupervisionCommittee,
)


class CrispyForm(forms.Form):
    """A plain form rendered by crispy with one submit button."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class CommitteeForm(CrispyModelForm):
    class Meta:
        model = SupervisionCommittee
        fields = ["community", "term_start", "term_end", "member_names", "accounts"]
        widgets = {
            "term_start": DATE,
            "term_end": DATE,
            "member_names": forms.Textarea(attrs={"rows": 5}),
            "accounts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        ids = list(communities.values_list("pk", flat=True))
        self.fields["accounts"].queryset = (
            get_user_model()
            .objects.filter(groups__name=ROLE_GROUPS[Role.SUPERVISOR], profile__community_id__in=ids, is_active=True)
            .order_by("username")
        )
        self.fields["accounts"].required = False


class SampleCheckForm(CrispyModelForm):
    class Meta:
        model = SampleCheck
        fields = ["result", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "result": forms.RadioSelect}


class InstructionForm(CrispyModelForm):
    class Meta:
        model = Instruction
        fields = ["community", "notice", "text", "due_on"]
        widgets = {"due_on": DATE, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].empty_label = None
        self.fields["notice"].queryset = (
            Notice.objects.filter(board__community__isnull=False)
            .exclude(status=NoticeStatus.DRAFT)
            .select_related("board")
            .order_by("-updated_at")[:200]
        )


class AnswerInstructionForm(CrispyForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class AnnounceForm(CrispyForm):
    opinions_until = forms.DateField(label=_("Opinions until"), widget=DATE)


class OpinionForm(forms.ModelForm):
    """The public opinion form (plain markup on the public pages, phone-first)."""

    class Meta:
        model = MeetingOpinion
        fields = ["body", "name", "contact"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "name": forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
            "contact": forms.TextInput(attrs={"class": "form-control", "autocomplete": "tel"}),
        }
        help_texts = {"contact": _("Never published; only for the community to reach you.")}


class DecisionForm(CrispyModelForm):
    class Meta:
        model = Decision
        fields = ["title", "text", "votes_for", "votes_against", "opinions_heard", "response", "result"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
            "opinions_heard": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, meeting: OpenMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions_heard"].queryset = MeetingOpinion.objects.public().filter(meeting=meeting)
        self.fields["opinions_heard"].required = False


class DecisionItemForm(CrispyModelForm):
    class Meta:
        model = DecisionItem
        fields = [
            "task",
            "owner",
            "due_on",
            "status",
            "progress",
            "progress_note",
            "done_on",
            "finance_line",
            "notice",
            "rectification",
            "order",
        ]
        widgets = {"due_on": DATE, "done_on": DATE, "progress_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: OpenMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = meeting.board.community_id
        notices = Notice.objects.filter(status=NoticeStatus.PUBLISHED).select_related("board")
        lines = FinanceLine.objects.filter(notice__status=NoticeStatus.PUBLISHED).select_related("notice")
        rectifications = self.fields["rectification"].queryset.select_related("site")
        if community_id is not None:
            notices = notices.filter(board__community_id=community_id)
            lines = lines.filter(notice__board__community_id=community_id)
            rectifications = rectifications.filter(site__community_id=community_id)
        self.fields["notice"].queryset = notices.order_by("-published_at")[:300]
        self.fields["finance_line"].queryset = lines.order_by("-notice__published_at", "order")[:300]
        self.fields["rectification"].queryset = rectifications


class EventForm(CrispyModelForm):
    class Meta:
        model = DisclosureEvent
        fields = ["community", "catalog_item", "kind", "title", "occurred_on", "meeting", "notice"]
        widgets = {"occurred_on": DATE}

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(communities.values_list("pk", flat=True))
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        self.fields["catalog_item"].queryset = CatalogItem.objects.filter(
            frequency=Frequency.EVENT, level=Level.COMMUNITY, active=True
        )
        self.fields["meeting"].queryset = OpenMeeting.objects.filter(board__community_id__in=ids).order_by("-date")
        self.fields["notice"].queryset = (
            Notice.objects.filter(board__community_id__in=ids, catalog_item__frequency=Frequency.EVENT)
            .select_related("board")
            .order_by("-updated_at")
        )
