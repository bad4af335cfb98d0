from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from jiedao.forms import CrispyModelForm, DateInput

from .choices import LineKind
from .models import CatalogItem, Notice, OpenMeeting

DATE = DateInput()  # a text box that reads 2026-11-30 and 2026年11月30日 (jiedao/forms.py)


class CatalogItemForm(CrispyModelForm):
    class Meta:
        model = CatalogItem
        fields = [
            "category",
            "name",
            "content",
            "basis",
            "frequency",
            "deadline_workdays",
            "subject",
            "channel",
            "audience",
            "mode",
            "level",
            "requires_statement",
            "active",
            "order",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}


class NoticeForm(CrispyModelForm):
    """A draft: the board is limited to those the user may draft on."""

    class Meta:
        model = Notice
        fields = [
            "board",
            "catalog_item",
            "title",
            "body",
            "period_start",
            "period_end",
            "event_date",
            "opening_balance",
            "income_total",
            "expense_total",
            "closing_balance",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "event_date": DATE,
            "body": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "body": _(
                "A blank line starts a new paragraph. Lines starting with “- ” make a list, lines starting "
                "with “1. ” a numbered list, and lines like “|项目|金额|” a table (a “|---|---|” line under the "
                "first row makes it the heading). Pasted HTML keeps its paragraphs, lists, links and tables."
            ),
            "period_start": _("For monthly, quarterly and yearly items any day of the period will do."),
        }

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        self.fields["board"].empty_label = None
        # Only the catalogue items of the boards' levels (a community board takes community items);
        # with boards of both levels the page's script narrows the list to the chosen board's level.
        levels = {board.level for board in boards}
        self.fields["catalog_item"].queryset = CatalogItem.objects.filter(active=True, level__in=levels)
        self.catalogue_levels = {
            "boards": {str(board.pk): board.level for board in boards},
            "items": {str(pk): level for pk, level in self.fields["catalog_item"].queryset.values_list("pk", "level")},
        }
        self.fields["period_end"].required = False
        if self.instance.pk:
            self.fields["board"].disabled = True


class FinanceLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("income or expense"), choices=LineKind.choices)
    item = forms.CharField(label=_("item"), max_length=100)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


FinanceLineFormSet = formset_factory(FinanceLineForm, extra=3, can_delete=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, image or XLSX)"))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    reason = forms.CharField(label=_("Reason for correction"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectedTotalsForm(forms.Form):
    """A financial disclosure's corrected totals (the lines come in a FinanceLineFormSet)."""

    opening_balance = forms.DecimalField(label=_("opening balance (yuan)"), max_digits=14, decimal_places=2)
    income_total = forms.DecimalField(label=_("total income (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    expense_total = forms.DecimalField(label=_("total expense (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    closing_balance = forms.DecimalField(label=_("closing balance (yuan)"), max_digits=14, decimal_places=2)


class FeedbackForm(forms.Form):
    """A resident's question. `website` is a honeypot: people leave it empty, bots fill it."""

    body = forms.CharField(
        label=_("Your question or opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    name = forms.CharField(label=_("How to address you (optional, not shown)"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail for a reply (optional, never shown)"), max_length=100, required=False
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer (public)"), widget=forms.Textarea(attrs={"rows": 4}))


class MeetingForm(CrispyModelForm):
    class Meta:
        model = OpenMeeting
        fields = [
            "kind",
            "board",
            "date",
            "topic",
            "agenda",
            "party_member_reps",
            "resident_reps",
            "attendance",
            "opinions",
            "decisions",
            "minutes",
        ]
        widgets = {
            "date": DATE,
            **{
                f: forms.Textarea(attrs={"rows": 3})
                for f in ("agenda", "attendance", "opinions", "decisions", "minutes")
            },
        }

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        self.fields["board"].empty_label = None
