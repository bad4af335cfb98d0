"""The one shape of a work item on 我的待办 (jiedao/todo). Every app's `todo_items(user)` returns these.

A kind of item that grows with the city (staff's updates to review, every board's notices…) is
read with `newest()`: the newest KIND_LIMIT rows become TodoItems, the rest are only counted by
the database in the same query and summed up by one TodoMore (`unlisted()`), so the page costs
the same at 20 or 3,000 communities.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber

KIND_LIMIT = 50  # one page of the list; past it a kind is counted, not listed


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for this user.

    kind_label: what kind of work it is, translated ("待审核月报", "保密审核"…);
    title: the object in a few words; url: the page where the user does it;
    since: when it landed (an aware datetime; the list is newest first);
    community_name: the community it concerns, None for sub-district items;
    overdue: past its deadline (shown in red, counted apart in the menu badge).
    """

    kind_label: str
    title: str
    url: str
    since: datetime
    community_name: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class TodoMore:
    """The older items of one kind that `newest()` left out: how many (and how many of them are
    overdue), and the page where they are all listed."""

    kind_label: str
    count: int
    url: str
    overdue: int = 0


def newest(queryset: QuerySet, *, since, kind: str | None = None, overdue: Q | None = None, limit: int | None = None):
    """The newest `limit` (KIND_LIMIT) rows of `queryset` by `since` (a field name or an expression), or of each
    value of `kind` (a field telling kinds apart). Each row carries `todo_total`, the rows of its
    kind in all, and `todo_overdue`, those matching `overdue`: counted in the same query (window
    functions), so no row past the limit is fetched or built."""
    limit = limit or KIND_LIMIT
    order = since if hasattr(since, "resolve_expression") else F(since)
    partition = [F(kind)] if kind else None
    late = Value(0, output_field=IntegerField())
    if overdue is not None:
        late = Window(Count("pk", filter=overdue), partition_by=partition)
    rows = queryset.annotate(
        todo_rank=Window(RowNumber(), partition_by=partition, order_by=[order.desc(), F("pk").desc()]),
        todo_total=Window(Count("pk"), partition_by=partition),
        todo_overdue=late,
    )
    return list(rows.filter(todo_rank__lte=limit).order_by())


def unlisted(rows, items: list[TodoItem], *, kind_label: str, url: str) -> list[TodoMore]:
    """[TodoMore] for the rows of one kind that `newest()` left out (`rows` of that kind, made into
    `items`), or [] when it listed them all."""
    if not rows or rows[0].todo_total <= len(rows):
        return []
    listed_overdue = sum(1 for item in items if item.overdue)
    return [
        TodoMore(
            kind_label=kind_label,
            count=rows[0].todo_total - len(rows),
            url=url,
            overdue=rows[0].todo_overdue - listed_overdue,
        )
    ]
