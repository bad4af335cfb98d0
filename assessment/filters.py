"""List filters of the assessment pages (django-filter). A value the form refuses is dropped, so a
bad query string shows the whole list, never an error."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TrainingEvent


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TrainingEventFilter(django_filters.FilterSet):
    """The training ledger by the year an event starts in."""

    year = YearFilter(field_name="start_date__year", label=_("Year"), min_value=1949, max_value=2100)

    class Meta:
        model = TrainingEvent
        fields = ["year"]

    @property
    def chosen_year(self) -> int | None:
        return self.form.cleaned_data.get("year") if self.form.is_valid() else None
