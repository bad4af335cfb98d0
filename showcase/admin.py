"""Read-only admin pages: every change goes through the portal's pages and services."""

from django.contrib import admin

from .models import Funding, Inspection, Programme, Rectification, Site, Standard


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class StandardInline(ReadOnlyMixin, admin.TabularInline):
    model = Standard
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["year", "name", "bonus_points"]
    inlines = [StandardInline]


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ["community", "programme", "theme", "economic_tier", "status"]
    list_filter = ["programme", "status", "economic_tier"]
    list_select_related = ["community", "programme"]


@admin.register(Funding)
class FundingAdmin(ReadOnlyAdmin):
    list_display = ["site", "source", "amount", "date", "purpose"]
    list_filter = ["source"]
    list_select_related = ["site__community"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "programme"]
    list_filter = ["kind", "programme"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["site", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["site__community"]
