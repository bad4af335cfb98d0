"""The one shape of a work item on 我的待办 (jiedao/todo). Every app's `todo_items(user)` returns these."""

from dataclasses import dataclass
from datetime import datetime


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
