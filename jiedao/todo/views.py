"""我的待办: the page every signed-in user lands on, and the menu's badge (loaded by htmx after the
page, so no page pays for the providers' queries but this one and the badge)."""

from types import SimpleNamespace

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from jiedao.permissions import ROLE_LABELS, roles_of
from jiedao.reporting.cache import fragment_context
from jiedao.todo.providers import todo_for_request, todo_scope

PAGE_SIZE = 50


class TodoListView(LoginRequiredMixin, TemplateView):
    template_name = "jiedao/todo_list.html"

    def get_context_data(self, **kwargs):
        # The page's body is a fragment kept per figures version, scope and day, its key read before
        # the list (reporting/cache.py): on a hit the list is not even read from the cache.
        fragment = fragment_context(*todo_scope(self.request.user), timezone.localdate())
        return super().get_context_data(todo=SimpleLazyObject(self.todo), **fragment, **kwargs)

    def todo(self) -> SimpleNamespace:
        todo = todo_for_request(self.request)
        page = Paginator(todo.items, PAGE_SIZE).get_page(self.request.GET.get("page"))
        roles = roles_of(self.request.user)
        return SimpleNamespace(
            items=page.object_list,
            more=todo.more,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            total=todo.total,
            overdue=todo.overdue,
            role_labels=[ROLE_LABELS[role] for role in ROLE_LABELS if role in roles],
        )


class TodoBadgeView(LoginRequiredMixin, TemplateView):
    """The count beside 我的待办 in the menu (an htmx fragment)."""

    template_name = "jiedao/todo_badge.html"

    def get_context_data(self, **kwargs):
        todo = todo_for_request(self.request)
        return super().get_context_data(total=todo.total, overdue=todo.overdue, **kwargs)
