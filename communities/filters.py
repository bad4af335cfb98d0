import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CommunityKind, MonthlyCell
from .models import Community


class CommunityFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CommunityKind.choices, empty_label=_("All types"))

    class Meta:
        model = Community
        fields = ["name", "kind"]


SELECT = {"widget": forms.Select(attrs={"class": "form-select"})}


class MonthlyOverviewFilter(django_filters.FilterSet):
    """The staff overview's filters. Type and name choose the communities; the year and the state
    choose the grid's months and rows, so they leave the queryset alone and the view reads them.
    A value that does not validate is dropped: its filter falls back to its default."""

    year = django_filters.TypedChoiceFilter(label=_("Year"), coerce=int, method="keep", **SELECT)
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=CommunityKind.choices, empty_label=_("All types"), **SELECT
    )
    name = django_filters.CharFilter(
        label=_("Name"), lookup_expr="icontains", widget=forms.TextInput(attrs={"class": "form-control"})
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"), choices=MonthlyCell.choices, empty_label=_("Any status"), method="keep", **SELECT
    )

    class Meta:
        model = Community
        fields = ["year", "kind", "name", "state"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]

    def keep(self, queryset, name, value):
        return queryset

    def value(self, name: str, default=None):
        """The filter's value from the query string, or `default` when it is missing or bad."""
        self.form.is_valid()  # cleaned_data then holds the fields that validated
        return self.form.cleaned_data.get(name) or default
