from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jiedao import accounts, health, views
from jiedao.imports import resource_urls
from jiedao.reporting import views as report_views
from jiedao.resources import SubDistrictYearResource
from jiedao.todo import views as todo_views

jiedao_patterns = (
    [
        path("indicators/", views.SubDistrictYearListView.as_view(), name="subdistrict_year_list"),
        path("indicators/new/", views.SubDistrictYearCreateView.as_view(), name="subdistrict_year_create"),
        path("indicators/<int:pk>/edit/", views.SubDistrictYearUpdateView.as_view(), name="subdistrict_year_update"),
        path("audit/", views.AuditLogView.as_view(), name="audit_log"),
        path("audit/export/", views.AuditLogExportView.as_view(), name="audit_log_export"),
        path("backups/", health.BackupStatusView.as_view(), name="backup_status"),
        path("dashboard/", report_views.DashboardView.as_view(), name="dashboard"),
        path("reports/", report_views.AnnualReportListView.as_view(), name="annual_report_list"),
        path("reports/new/", report_views.AnnualReportRequestView.as_view(), name="annual_report_request"),
        path("reports/text/<int:year>/", report_views.AnnualReportTextView.as_view(), name="annual_report_text"),
        path("reports/<int:pk>/", report_views.AnnualReportDetailView.as_view(), name="annual_report_detail"),
        path(
            "reports/<int:pk>/progress/",
            report_views.AnnualReportProgressView.as_view(),
            name="annual_report_progress",
        ),
        path(
            "reports/<int:pk>/download/",
            report_views.AnnualReportDownloadView.as_view(),
            name="annual_report_download",
        ),
        *resource_urls(
            "subdistrict_year",
            SubDistrictYearResource,
            title=_("sub-district indicators"),
            filename="街道年度指标",
            back_url="jiedao:subdistrict_year_list",
            app_name="jiedao",
        ),
    ],
    "jiedao",
)

# Every signed-in user's own account pages, and the staff's list of locked accounts.
accounts_patterns = (
    [
        path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
        path("password/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
        path("two-factor/", accounts.TwoFactorSetupView.as_view(), name="two_factor_setup"),
        path("two-factor/verify/", accounts.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
        path("locked/", accounts.LockedAccountListView.as_view(), name="locked_accounts"),
        path("locked/unlock/", accounts.UnlockAccountView.as_view(), name="unlock_account"),
    ],
    "accounts",
)

# 我的待办: every signed-in user's home (LOGIN_REDIRECT_URL) and its menu badge.
todo_patterns = (
    [
        path("", todo_views.TodoListView.as_view(), name="list"),
        path("badge/", todo_views.TodoBadgeView.as_view(), name="badge"),
    ],
    "todo",
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", health.HealthView.as_view(), name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include(accounts_patterns)),
    path("todo/", include(todo_patterns)),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("subdistrict/", include(jiedao_patterns)),
    path("communities/", include("communities.urls")),
    path("party/", include("communities.party_life_urls")),  # 三会一课 register, 党费, members' own pages
    path("org/", include("communities.organisation_urls")),  # the party organisation tree, members, /org/me/
    path("showcase/", include("showcase.urls")),
    path("shifan/", include("showcase.public_urls")),
    path("assessment/", include("assessment.urls")),
    path("ceping/", include("assessment.public_urls")),
    path("disclosure/", include("disclosure.urls")),
    path("gongkai/", include("disclosure.public_urls")),
    path("admin/", admin.site.urls),
]
