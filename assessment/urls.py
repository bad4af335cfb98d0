from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycle_list"),
    path("mine/", views.MyResultsView.as_view(), name="my_results"),
    path("cycles/new/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("cycles/<int:pk>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/edit/", views.CycleUpdateView.as_view(), name="cycle_update"),
    path("cycles/<int:pk>/start/", views.CycleStartView.as_view(), name="cycle_start"),
    path("cycles/<int:pk>/close/", views.CycleCloseView.as_view(), name="cycle_close"),
    path("cycles/<int:pk>/recalculate/", views.CycleRecalculateView.as_view(), name="cycle_recalculate"),
    path("cycles/<int:pk>/results/", views.CycleResultsView.as_view(), name="cycle_results"),
    path("cycles/<int:pk>/results.xlsx", views.CycleExportView.as_view(), name="cycle_export"),
    path(
        "cycles/<int:pk>/communities/<int:community_pk>/",
        views.CommunityResultsView.as_view(),
        name="community_results",
    ),
    path("cycles/<int:pk>/sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("appraisals/<int:pk>/", views.AppraisalDetailView.as_view(), name="appraisal_detail"),
    path("appraisals/<int:pk>/edit/", views.AppraisalUpdateView.as_view(), name="appraisal_update"),
    path("appraisals/<int:pk>/report/", views.AppraisalReportFileView.as_view(), name="appraisal_report_file"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", views.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/codes/", views.SessionCodesIssueView.as_view(), name="session_codes_issue"),
    path("sessions/<int:pk>/close-voting/", views.SessionCloseVotingView.as_view(), name="session_close_voting"),
    path("sessions/<int:pk>/slips/", views.SessionSlipsView.as_view(), name="session_slips"),
    path("slips/<int:pk>/progress/", views.SlipJobProgressView.as_view(), name="slip_job_progress"),
    path("slips/<int:pk>/slips.pdf", views.SlipJobDownloadView.as_view(), name="slip_job_download"),
    path("sessions/<int:pk>/paper/", views.SessionPaperView.as_view(), name="session_paper"),
    path("training/", views.TrainingEventListView.as_view(), name="training_event_list"),
    path("training/new/", views.TrainingEventCreateView.as_view(), name="training_event_create"),
    path("training/hours/", views.TrainingHoursView.as_view(), name="training_hours"),
    path("training/<int:pk>/", views.TrainingEventDetailView.as_view(), name="training_event_detail"),
    path("training/<int:pk>/edit/", views.TrainingEventUpdateView.as_view(), name="training_event_update"),
    path("training/<int:pk>/delete/", views.TrainingEventDeleteView.as_view(), name="training_event_delete"),
    path("training/<int:pk>/attendance/import/", views.AttendanceImportView.as_view(), name="attendance_import"),
    path("training/<int:pk>/attendance/export/", views.AttendanceExportView.as_view(), name="attendance_export"),
    path("training/<int:pk>/attendance/template/", views.AttendanceTemplateView.as_view(), name="attendance_template"),
    path("training/records/<int:pk>/delete/", views.TrainingRecordDeleteView.as_view(), name="training_record_delete"),
]
