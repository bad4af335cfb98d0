from django.urls import path
from django.utils.translation import gettext_lazy as _

from jiedao.imports import resource_urls

from . import views
from .resources import FundingResource, StandardResource

app_name = "showcase"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("mine/", views.MySitesView.as_view(), name="site_mine"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("<int:pk>/standards/new/", views.StandardCreateView.as_view(), name="standard_create"),
    path("<int:pk>/standards/defaults/", views.StandardsLoadDefaultsView.as_view(), name="standard_defaults"),
    path("<int:pk>/sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("<int:pk>/inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("<int:pk>/inspections/new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("standards/<int:pk>/edit/", views.StandardUpdateView.as_view(), name="standard_update"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("sites/<int:pk>/start/", views.SiteStartView.as_view(), name="site_start"),
    path("sites/<int:pk>/accept/", views.SiteAcceptView.as_view(), name="site_accept"),
    path("sites/<int:pk>/funding/new/", views.FundingCreateView.as_view(), name="funding_create"),
    path("funding/<int:pk>/delete/", views.FundingDeleteView.as_view(), name="funding_delete"),
    path("checks/<int:pk>/", views.CheckUpdateView.as_view(), name="check_update"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path(
        "inspections/<int:pk>/rectifications/new/",
        views.RectificationCreateView.as_view(),
        name="rectification_create",
    ),
    path("rectifications/<int:pk>/", views.RectificationDetailView.as_view(), name="rectification_detail"),
    path("rectifications/<int:pk>/report/", views.RectificationReportView.as_view(), name="rectification_report"),
    path("rectifications/<int:pk>/close/", views.RectificationCloseView.as_view(), name="rectification_close"),
    path("rectifications/<int:pk>/return/", views.RectificationReturnView.as_view(), name="rectification_return"),
    path("photos/<int:pk>/", views.PhotoDownloadView.as_view(), name="photo_download"),
]

# Import, export and template download (staff only): showcase:<name>_import / _export / _template.
urlpatterns += resource_urls(
    "standard",
    StandardResource,
    title=_("standards"),
    filename="示范点创建标准",
    back_url="showcase:programme_list",
    app_name=app_name,
)
urlpatterns += resource_urls(
    "funding",
    FundingResource,
    title=_("funding lines"),
    filename="示范点资金",
    back_url="showcase:programme_list",
    app_name=app_name,
)
