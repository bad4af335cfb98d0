"""The providers of 我的待办, listed explicitly: a renamed or missing `todo_items` fails at import.

A new kind of work item = a TodoItem (jiedao/todo/items.py) from your app's
`selectors.todo_items(user)`; add the provider to PROVIDERS below. Each provider answers with at
most one query per kind of item (never one per row) and returns [] for a user it has nothing for.
A kind that grows with the city lists its newest rows only (`items.newest`) and a TodoMore for
the rest.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language

from assessment import selectors as assessment_selectors
from communities import selectors as communities_selectors
from disclosure import selectors as disclosure_selectors
from jiedao.permissions import community_id_of, roles_of, supervisor_community_id
from jiedao.reporting.cache import cached_figures
from jiedao.todo.items import TodoItem, TodoMore
from showcase import selectors as showcase_selectors

PROVIDERS = [
    communities_selectors.todo_items,
    disclosure_selectors.todo_items,
    showcase_selectors.todo_items,
    assessment_selectors.todo_items,
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


@dataclass
class TodoList:
    """What waits for one user: the items listed, newest first, and the kinds' unlisted rest."""

    items: list[TodoItem] = field(default_factory=list)
    more: list[TodoMore] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items) + sum(more.count for more in self.more)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue) + sum(more.overdue for more in self.more)


def todo_list(user) -> TodoList:
    """Every provider's items for `user`, newest first, and what each left unlisted."""
    result = TodoList()
    if not user.is_authenticated:
        return result
    for provider in PROVIDERS:
        for entry in provider(user):
            (result.more if isinstance(entry, TodoMore) else result.items).append(entry)
    result.items.sort(key=lambda item: item.since or _EPOCH, reverse=True)
    return result


def todo_for(user) -> list[TodoItem]:
    """The items listed for `user`, newest first."""
    return todo_list(user).items


def cached_todo_list(user) -> TodoList:
    """todo_list(user), computed once per figures version and day (jiedao/reporting/cache.py: every
    write to the data the providers read retires it) for the user's roles, community and language.
    Compiling the providers' window-function queries is most of the page's time, and the menu badge
    asks for the same list on every page."""
    if not user.is_authenticated:
        return TodoList()
    return cached_figures("todo", lambda: todo_list(user), *todo_scope(user))


def todo_scope(user) -> tuple:
    """What a user's list depends on besides the data and the day: who they are, their roles,
    their community and their language (the kept list and the kept page are keyed by it)."""
    roles = ",".join(sorted(roles_of(user)))
    return (user.pk, roles, community_id_of(user) or supervisor_community_id(user), get_language())


def todo_for_request(request) -> TodoList:
    """The request user's list, read once per request (the menu badge and the page share it)."""
    cached = getattr(request, "_todo_list", None)
    if cached is None:
        cached = cached_todo_list(request.user)
        request._todo_list = cached
    return cached
