from django.contrib import admin

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
    list_display = ["name", "community", "id_number_masked", "mobile_masked", "category"]
    list_filter = ["community", "category"]
    search_fields = ["name"]


@admin.register(CommunityYear)
class CommunityYearAdmin(admin.ModelAdmin):
    list_display = ["community", "year", "collective_income", "per_capita_income", "is_poor"]
    list_filter = ["year"]
