from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .admin_words import permission_label
from .models import AnnualReport, BackupRun, Notification, Profile, SubDistrictYear, WorkdayOverride


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


# -- the change log: nobody may change or delete an entry, superusers included ---------------------

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ReadOnlyLogEntryAdmin(AuditlogLogEntryAdmin):
    """auditlog's own admin still lets a superuser delete entries outside its pages (and the
    changelist's bulk action); here the log is strictly read-only."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Read-only: reports are built from the 年度报告 page, which checks who may download them."""

    list_display = ["year", "version", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "year"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BackupRun)
class BackupRunAdmin(admin.ModelAdmin):
    """Read-only: the record of what `manage.py backup` and the nightly job did."""

    list_display = ["started_at", "status", "size", "files", "archive"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- the admin in Chinese: its titles, and permission names (stored in English) in the forms -------

admin.site.site_header = format_lazy("{}{}", settings.SUBDISTRICT_NAME, _("Party-building portal administration"))
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Administration")


class ChinesePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class ChineseGroupAdmin(ChinesePermissionsMixin, GroupAdmin):
    pass


@admin.register(User)
class ChineseUserAdmin(ChinesePermissionsMixin, UserAdmin):
    pass
