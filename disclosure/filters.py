"""List filters of the disclosure pages (django-filter). A value that is not one of the choices
is dropped by the form, so a bad query string shows the page's default list, never an error."""

import django_filters
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Category, FeedbackStatus, NoticeStatus
from .models import Board, Feedback, Notice


def _visible_boards(request):
    return Board.objects.restrict(request.user) if request else Board.objects.none()


class NoticeFilter(django_filters.FilterSet):
    """Staff and secretaries' notice list: by status and by board (only the boards they see)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=NoticeStatus.choices, empty_label=_("All"))
    board = django_filters.ModelChoiceFilter(
        label=_("Board"), queryset=_visible_boards, to_field_name="slug", empty_label=_("All boards")
    )
    # Where the boards are too many for a list to pick from (a district of many communities).
    board_name = django_filters.CharFilter(label=_("Board name"), field_name="board__name", lookup_expr="icontains")

    class Meta:
        model = Notice
        fields = ["status", "board", "board_name"]

    @property
    def chosen(self) -> dict:
        return self.form.cleaned_data if self.form.is_valid() else {}


class FeedbackFilter(django_filters.FilterSet):
    """Residents' questions by status; no status, or a bad one, means those awaiting moderation."""

    ALL = "all"

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[*FeedbackStatus.choices, (ALL, _("All"))], empty_label=None
    )

    class Meta:
        model = Feedback
        fields = ["status"]

    @property
    def chosen_status(self) -> str:
        self.form.is_valid()
        return self.form.cleaned_data.get("status") or FeedbackStatus.PENDING

    def filter_queryset(self, queryset):
        status = self.chosen_status
        return queryset if status == self.ALL else queryset.filter(status=status)

    def tabs(self) -> list[dict]:
        chosen = self.chosen_status
        return [
            {"value": value, "label": label, "active": value == chosen}
            for value, label in self.filters["status"].extra["choices"]
        ]


class BoardNoticeFilter(django_filters.FilterSet):
    """The public board: by category, by year of the period, and by month within that year."""

    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label=_("All categories"))
    year = django_filters.TypedChoiceFilter(field_name="period_start__year", coerce=int, empty_value=None)
    month = django_filters.TypedChoiceFilter(
        field_name="period_start__month",
        coerce=int,
        empty_value=None,
        method="filter_month",
    )

    class Meta:
        model = Notice
        fields = ["category", "year", "month"]

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [("", _("All years")), *((y, str(y)) for y in years)]
        self.filters["month"].extra["choices"] = [
            ("", _("All months")),
            *((m, gettext("Month %(m)s") % {"m": m}) for m in range(1, 13)),
        ]

    @property
    def chosen(self) -> dict:
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    def filter_month(self, queryset, name, value):
        """A month means something only within a chosen year."""
        if value and self.chosen.get("year"):
            return queryset.filter(**{name: value})
        return queryset
