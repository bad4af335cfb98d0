from django.contrib import admin

from .models import Notification, Profile, SubDistrictYear, WorkdayOverride


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "title"]
    list_select_related = ["user", "community"]


@admin.register(SubDistrictYear)
class SubDistrictYearAdmin(admin.ModelAdmin):
    list_display = ["year", "fiscal_revenue", "letters_visits", "per_capita_income"]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]
    list_select_related = ["recipient"]
