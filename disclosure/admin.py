from django.contrib import admin

from . import search
from .models import Board, CatalogItem, Feedback, Notice, NoticeRevision, NoticeStep, OpenMeeting, SearchSynonym


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "category", "frequency", "deadline_workdays", "active"]
    list_filter = ["level", "category", "frequency", "active"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "community", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Notices change only through the review-chain services; the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "board", "category", "period_start", "status", "revision"]
    list_filter = ["status", "category", "board"]
    list_select_related = ["board"]
    search_fields = ["title"]


@admin.register(NoticeRevision)
class NoticeRevisionAdmin(ReadOnlyAdmin):
    list_display = ["notice", "number", "created_at"]
    list_select_related = ["notice"]


@admin.register(NoticeStep)
class NoticeStepAdmin(ReadOnlyAdmin):
    list_display = ["notice", "action", "actor", "created_at"]
    list_select_related = ["notice", "actor"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["notice", "status", "due_on", "answered_at"]
    list_select_related = ["notice"]


@admin.register(OpenMeeting)
class OpenMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "topic", "board"]
    list_filter = ["kind"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Staff keep the public search's synonyms here: 低保 ↔ 最低生活保障 and the like."""

    list_display = ["term", "synonyms", "updated_at"]
    search_fields = ["term", "synonyms"]

    def save_model(self, request, obj, form, change):
        search.synonym_save(actor=request.user, synonym=obj)

    def delete_model(self, request, obj):
        search.synonym_delete(actor=request.user, synonym=obj)

    def delete_queryset(self, request, queryset):
        for synonym in queryset:
            search.synonym_delete(actor=request.user, synonym=synonym)
