"""The providers of 我的待办, listed explicitly: a renamed or missing `todo_items` fails at import.

A new kind of work item = a TodoItem (jiedao/todo/items.py) from your app's
`selectors.todo_items(user)`; add the provider to PROVIDERS below. Each provider answers with at
most one query per kind of item (never one per row) and returns [] for a user it has nothing for.
"""

from datetime import datetime

from django.utils import timezone

from assessment import selectors as assessment_selectors
from communities import selectors as communities_selectors
from disclosure import selectors as disclosure_selectors
from jiedao.todo.items import TodoItem
from showcase import selectors as showcase_selectors

PROVIDERS = [
    communities_selectors.todo_items,
    disclosure_selectors.todo_items,
    showcase_selectors.todo_items,
    assessment_selectors.todo_items,
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


def todo_for(user) -> list[TodoItem]:
    """Every provider's items for `user`, newest first."""
    if not user.is_authenticated:
        return []
    items = [item for provider in PROVIDERS for item in provider(user)]
    items.sort(key=lambda item: item.since or _EPOCH, reverse=True)
    return items


def todo_for_request(request) -> list[TodoItem]:
    """todo_for(request.user), computed once per request (the menu badge and the page share it)."""
    cached = getattr(request, "_todo_items", None)
    if cached is None:
        cached = todo_for(request.user)
        request._todo_items = cached
    return cached
