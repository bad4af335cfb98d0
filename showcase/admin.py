from django.contrib import admin

from .models import Funding, Inspection, Programme, Rectification, Site, Standard


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "bonus_points"]
    inlines = [StandardInline]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["community", "programme", "theme", "economic_tier", "status"]
    list_filter = ["programme", "status", "economic_tier"]
    list_select_related = ["community", "programme"]


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["site", "source", "amount", "date", "purpose"]
    list_filter = ["source"]
    list_select_related = ["site__community"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "programme"]
    list_filter = ["kind", "programme"]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ["site", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["site__community"]
