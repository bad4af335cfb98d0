from django.contrib import admin

from communities.models import MonthlyUpdate
from jiedao.permissions import can_reveal_identity

from .models import Cadre, Community, CommunityYear, PartyMember


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "post", "term_start", "directly_elected"]
    list_filter = ["community"]
    search_fields = ["name"]


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    """Masked as everywhere: an administrator without the reveal permission sees no birth date and
    no full number, and so cannot add or change members here (the roster pages can)."""

    list_display = ["name", "community", "branch", "id_number_masked", "mobile_masked", "joined_on", "full_on"]
    list_filter = ["community"]
    search_fields = ["name"]
    hidden = ("birth_date", "id_number", "mobile")

    def _reveals(self, request) -> bool:
        return can_reveal_identity(request.user) or request.user.is_superuser

    def get_exclude(self, request, obj=None):
        return self.hidden if not self._reveals(request) else super().get_exclude(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if self._reveals(request) else ("id_number_masked",)

    def has_add_permission(self, request):
        return self._reveals(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._reveals(request) and super().has_change_permission(request, obj)


@admin.register(CommunityYear)
class CommunityYearAdmin(admin.ModelAdmin):
    list_display = ["community", "year", "collective_income", "per_capita_income", "is_poor"]
    list_filter = ["year"]


# -- monthly updates (月度工作报告) -------------------------------------------------------------


@admin.register(MonthlyUpdate)
class MonthlyUpdateAdmin(admin.ModelAdmin):
    """Read-only: an update changes only through the portal's workflow (communities.services),
    which checks the state, the version and who may act, and records the timeline."""

    list_display = ["community", "period", "status", "is_late", "first_submitted_at", "reviewed_at"]
    list_filter = ["status", "is_late", "community"]
    date_hierarchy = "period"
    list_select_related = ["community"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
