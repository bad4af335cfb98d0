"""List filters of the sub-district pages (django-filter). A value that is not one of the choices is
dropped by the form, so a bad query string shows the whole list, never an error."""

import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from jiedao.audit import ACTION_LABELS
from jiedao.forms import DateInput


def _actors(request):
    """The people who have entries in the log."""
    return get_user_model().objects.filter(pk__in=LogEntry.objects.values("actor_id")).order_by("username")


def _object_types(request):
    models = auditlog.get_models()
    return ContentType.objects.filter(pk__in=[ContentType.objects.get_for_model(m).pk for m in models])


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name}（{obj.username}）" if name else obj.username


class ActorFilter(django_filters.ModelChoiceFilter):
    field_class = ActorChoiceField


class ObjectTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.model


class ObjectTypeFilter(django_filters.ModelChoiceFilter):
    field_class = ObjectTypeField


class AuditLogFilter(django_filters.FilterSet):
    """The auditor's page: by person, date range (local dates, both ends included), object type and action."""

    actor = ActorFilter(label=_("Person"), queryset=_actors, empty_label=_("Everyone"))
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="timestamp__date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="timestamp__date", lookup_expr="lte", widget=DateInput()
    )
    content_type = ObjectTypeFilter(label=_("Record type"), queryset=_object_types, empty_label=_("All types"))
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=list(ACTION_LABELS.items()), empty_label=_("All actions")
    )

    class Meta:
        model = LogEntry
        fields = ["actor", "date_from", "date_to", "content_type", "action"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm",
            )
