from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiedao import views

jiedao_patterns = (
    [
        path("indicators/", views.SubDistrictYearListView.as_view(), name="subdistrict_year_list"),
        path("indicators/new/", views.SubDistrictYearCreateView.as_view(), name="subdistrict_year_create"),
        path("indicators/<int:pk>/edit/", views.SubDistrictYearUpdateView.as_view(), name="subdistrict_year_update"),
        path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    ],
    "jiedao",
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("subdistrict/", include(jiedao_patterns)),
    path("communities/", include("communities.urls")),
    path("showcase/", include("showcase.urls")),
    path("shifan/", include("showcase.public_urls")),
    path("disclosure/", include("disclosure.urls")),
    path("gongkai/", include("disclosure.public_urls")),
    path("admin/", admin.site.urls),
]
