"""Read-only admin views: every write goes through the portal's pages and services (closed cycles
stay closed, ballots stay anonymous). Ballots and ballot codes are not shown at all."""

from django.contrib import admin

from .models import Appraisal, AppraisalCycle, BallotSession, TrainingEvent, TrainingRecord, TrainingRequirement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AppraisalCycle)
class AppraisalCycleAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "weight_committee", "weight_democratic", "weight_target"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "cadre", "total", "grade", "veto"]
    list_filter = ["cycle", "grade"]
    list_select_related = ["cycle", "cadre"]
    search_fields = ["cadre__name"]


@admin.register(BallotSession)
class BallotSessionAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "community", "expected_voters", "paper_present", "paper_valid", "paper_invalid"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "community"]


@admin.register(TrainingEvent)
class TrainingEventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "start_date", "hours", "headcount"]
    list_filter = ["kind"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["event", "cadre", "hours"]
    list_select_related = ["event", "cadre"]


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(ReadOnlyAdmin):
    list_display = ["year", "minimum_hours"]
