import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import CommunityKind
from .models import Community


class CommunityFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CommunityKind.choices, empty_label=_("All types"))

    class Meta:
        model = Community
        fields = ["name", "kind"]
