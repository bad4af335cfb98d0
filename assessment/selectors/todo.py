"""我的待办 items of the assessment (jiedao/todo). Appraisal cycles and ballots are run by staff
from their own pages and wait for nobody; a secretary's appeal against a target-sheet score
(目标管理考核) waits for a staff decision."""

from django.urls import reverse
from django.utils.translation import gettext as _

from assessment.choices import AppealStatus
from assessment.models.targets import TargetAppeal
from jiedao.permissions import is_staff_member
from jiedao.todo.items import TodoItem, TodoMore, newest, unlisted


def todo_items(user) -> list[TodoItem | TodoMore]:
    if not is_staff_member(user):
        return []
    appeals = (
        TargetAppeal.objects.filter(status=AppealStatus.PENDING)
        .select_related("score__community", "score__item")
        .only("created_at", "score__id", "score__community__name", "score__item__name")
    )
    rows = newest(appeals, since="created_at")
    listed = [
        TodoItem(
            kind_label=_("Appeal to decide"),
            title=appeal.score.item.name,
            url=appeal.score.get_absolute_url(),
            since=appeal.created_at,
            community_name=appeal.score.community.name,
        )
        for appeal in rows
    ]
    return listed + unlisted(
        rows, listed, kind_label=_("Appeal to decide"), url=reverse("assessment:target_sheet_list")
    )
