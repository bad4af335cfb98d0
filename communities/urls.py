from django.urls import path
from django.utils.translation import gettext_lazy as _

from jiedao.imports import resource_urls

from . import views
from .resources import CadreResource, CommunityResource, CommunityYearResource, PartyMemberResource

app_name = "communities"

urlpatterns = [
    path("", views.CommunityListView.as_view(), name="community_list"),
    path("mine/", views.MyCommunityView.as_view(), name="my_community"),
    path("new/", views.CommunityCreateView.as_view(), name="community_create"),
    path("<int:pk>/", views.CommunityDetailView.as_view(), name="community_detail"),
    path("<int:pk>/edit/", views.CommunityUpdateView.as_view(), name="community_update"),
    path("<int:pk>/members/", views.PartyMemberListView.as_view(), name="partymember_list"),
]

# Rosters and indicators: staff (members: also the community's own secretary).
urlpatterns += [
    path("<int:pk>/cadres/new/", views.CadreCreateView.as_view(), name="cadre_create"),
    path("cadres/<int:pk>/edit/", views.CadreUpdateView.as_view(), name="cadre_update"),
    path("cadres/<int:pk>/delete/", views.CadreDeleteView.as_view(), name="cadre_delete"),
    path("<int:pk>/members/new/", views.PartyMemberCreateView.as_view(), name="partymember_create"),
    path("members/<int:pk>/edit/", views.PartyMemberUpdateView.as_view(), name="partymember_update"),
    path("members/<int:pk>/delete/", views.PartyMemberDeleteView.as_view(), name="partymember_delete"),
    path("<int:pk>/years/new/", views.CommunityYearCreateView.as_view(), name="community_year_create"),
    path("years/<int:pk>/edit/", views.CommunityYearUpdateView.as_view(), name="community_year_update"),
]

# Import, export and template download (staff only): communities:<name>_import / _export / _template.
for _name, _resource, _title, _filename in [
    ("community", CommunityResource, _("communities"), "社区"),
    ("community_year", CommunityYearResource, _("community indicators"), "社区年度指标"),
    ("cadre", CadreResource, _("cadres"), "干部"),
    ("partymember", PartyMemberResource, _("party members"), "党员"),
]:
    urlpatterns += resource_urls(
        _name,
        _resource,
        title=_title,
        filename=_filename,
        back_url="communities:community_list",
        app_name=app_name,
    )


# -- monthly updates (月度工作报告) -------------------------------------------------------------
urlpatterns += [
    path("monthly/", views.MonthlyUpdateOverviewView.as_view(), name="monthly_update_overview"),
    path("monthly/export/", views.MonthlyUpdateExportView.as_view(), name="monthly_update_export"),
    path("monthly/mine/", views.MonthlyUpdateMineView.as_view(), name="monthly_update_mine"),
    path("monthly/new/", views.MonthlyUpdateCreateView.as_view(), name="monthly_update_create"),
    path("monthly/<int:pk>/", views.MonthlyUpdateDetailView.as_view(), name="monthly_update_detail"),
    path("monthly/<int:pk>/edit/", views.MonthlyUpdateUpdateView.as_view(), name="monthly_update_update"),
    path("monthly/<int:pk>/submit/", views.MonthlyUpdateSubmitView.as_view(), name="monthly_update_submit"),
    path("monthly/<int:pk>/accept/", views.MonthlyUpdateAcceptView.as_view(), name="monthly_update_accept"),
    path("monthly/<int:pk>/return/", views.MonthlyUpdateReturnView.as_view(), name="monthly_update_return"),
    path("monthly/<int:pk>/photo/<int:photo_pk>/", views.MonthlyUpdatePhotoView.as_view(), name="monthly_update_photo"),
    path(
        "monthly/<int:pk>/photo/<int:photo_pk>/delete/",
        views.MonthlyUpdatePhotoDeleteView.as_view(),
        name="monthly_update_photo_delete",
    ),
]
