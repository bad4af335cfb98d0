"""The monthly-update section of the community page: `{% load monthly %}{% monthly_section object %}`."""

from django import template

from communities import selectors
from communities.models import MonthlyUpdate
from jiedao.permissions import can_file_monthly_update

register = template.Library()


@register.inclusion_tag("communities/_monthly_section.html", takes_context=True)
def monthly_section(context, community):
    """The community's updates by year, the yearly roll-ups of the accepted figures and the
    三会一课 compliance (two queries)."""
    user = context["request"].user
    updates, rollups = selectors.monthly_community_summary(community=community)
    labels = {name: MonthlyUpdate._meta.get_field(name).verbose_name for name in selectors.MONTHLY_COUNTED_FIELDS}
    figure_rows = [
        {"label": labels[name], "is_money": name == "collective_income", "values": [r.totals[name] for r in rollups]}
        for name in selectors.MONTHLY_COUNTED_FIELDS
    ]
    return {
        "community": community,
        "updates": updates,
        "rollups": rollups,
        "figure_rows": figure_rows,
        "can_file": can_file_monthly_update(user, community.pk),
        "late_label": context.get("late_label"),
    }
