"""我的待办 items of the monthly updates (jiedao/todo): staff review what was handed in; a
secretary finishes their drafts and returned updates and files the month that is overdue."""

from datetime import datetime, time

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.choices import MonthlyCell, MonthlyStatus
from communities.models import DuesLapseReview, MonthlyUpdate
from communities.models.dues import DuesReviewStatus
from communities.periods import deadline_of, is_due, local_today, month_label, previous_month
from jiedao.permissions import Role, community_id_of, has_role, is_staff_member
from jiedao.todo.items import TodoItem, TodoMore, newest, unlisted


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def todo_items(user) -> list[TodoItem | TodoMore]:
    """Staff: the updates awaiting review, the newest listed and the rest counted (one query). A
    secretary: their community's drafts and returned updates, and last month's update when its
    deadline passed unfiled (one query)."""
    items: list[TodoItem | TodoMore] = []
    if is_staff_member(user):
        waiting = MonthlyUpdate.objects.filter(status=MonthlyStatus.SUBMITTED).select_related("community")
        rows = newest(waiting.only("id", "period", "submitted_at", "community__name"), since="submitted_at")
        label, months = _("Monthly update to review"), {}  # the city's updates share a few months
        listed = [
            TodoItem(
                kind_label=label,
                title=months.get(update.period) or months.setdefault(update.period, month_label(update.period)),
                url=update.get_absolute_url(),
                since=update.submitted_at,
                community_name=update.community.name,
            )
            for update in rows
        ]
        overview = reverse("communities:monthly_update_overview") + f"?status={MonthlyCell.SUBMITTED}"
        items += listed + unlisted(rows, listed, kind_label=label, url=overview)
    community_id = community_id_of(user)
    if has_role(user, Role.SECRETARY) and community_id is not None:
        today = local_today()
        last_month = previous_month(today)
        rows = list(
            MonthlyUpdate.objects.filter(community_id=community_id)
            .filter(Q(status__in=[MonthlyStatus.DRAFT, MonthlyStatus.RETURNED]) | Q(period=last_month))
            .select_related("community")
            .only("id", "period", "status", "updated_at", "community__name")
        )
        for update in rows:
            if update.is_returned:
                kind = _("Monthly update sent back")
            elif update.is_editable:
                kind = _("Monthly update draft")
            else:
                continue
            items.append(
                TodoItem(
                    kind_label=kind,
                    title=month_label(update.period),
                    url=reverse("communities:monthly_update_update", args=[update.pk]),
                    since=update.updated_at,
                    community_name=update.community.name,
                    overdue=update.is_editable and not update.is_returned and is_due(update.period, today),
                )
            )
        if is_due(last_month, today) and not any(update.period == last_month for update in rows):
            items.append(
                TodoItem(
                    kind_label=_("Monthly update not filed"),
                    title=month_label(last_month),
                    url=reverse("communities:monthly_update_create") + f"?period={last_month:%Y-%m}",
                    since=_end_of(deadline_of(last_month)),
                    overdue=True,
                )
            )
        items += _lapse_review_items(user)
    return items


def _lapse_review_items(user) -> list[TodoItem]:
    """Six months of unpaid dues: the secretary records what the branch decided (自行脱党 or not)."""
    reviews = (
        DuesLapseReview.objects.restrict(user)
        .filter(status=DuesReviewStatus.OPEN)
        .select_related("member__community")
        .only("flagged_on", "months_unpaid", "created_at", "member__name", "member__community__name")
    )
    return [
        TodoItem(
            kind_label=_("Lapse review (dues unpaid six months)"),
            title=f"{review.member.name}（{review.months_unpaid}）",
            url=reverse("partylife:dues_review_decide", args=[review.pk]),
            since=review.created_at,
            community_name=review.member.community.name,
        )
        for review in reviews
    ]
