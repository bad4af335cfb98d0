from django.urls import path

from . import views
from .views import cases as case_views

app_name = "disclosure"

urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/new/", views.NoticeCreateView.as_view(), name="notice_create"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/edit/", views.NoticeUpdateView.as_view(), name="notice_update"),
    path("notices/<int:pk>/finance/", views.NoticeFinanceView.as_view(), name="notice_finance"),
    path("notices/<int:pk>/correct/", views.NoticeCorrectView.as_view(), name="notice_correct"),
    path("notices/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path("notices/<int:pk>/submit/", views.NoticeSubmitView.as_view(), name="notice_submit"),
    path("notices/<int:pk>/clear/", views.NoticeClearView.as_view(), name="notice_clear"),
    path("notices/<int:pk>/approve/", views.NoticeApproveView.as_view(), name="notice_approve"),
    path("notices/<int:pk>/publish/", views.NoticePublishView.as_view(), name="notice_publish"),
    path("notices/<int:pk>/return/", views.NoticeReturnView.as_view(), name="notice_return"),
    path("notices/<int:pk>/withdraw/", views.NoticeWithdrawView.as_view(), name="notice_withdraw"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.AttachmentDeleteView.as_view(), name="attachment_delete"),
    path("catalogue/", views.CatalogItemListView.as_view(), name="catalog_list"),
    path("catalogue/new/", views.CatalogItemCreateView.as_view(), name="catalog_create"),
    path("catalogue/<int:pk>/edit/", views.CatalogItemUpdateView.as_view(), name="catalog_update"),
    path("timeliness/", views.TimelinessView.as_view(), name="timeliness"),
    path("questions/", views.FeedbackListView.as_view(), name="feedback_list"),
    path("questions/<int:pk>/moderate/", views.FeedbackModerateView.as_view(), name="feedback_moderate"),
    path("questions/<int:pk>/answer/", views.FeedbackAnswerView.as_view(), name="feedback_answer"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("meetings/<int:pk>/notice/", views.MeetingDraftNoticeView.as_view(), name="meeting_notice"),
    path("cases/", case_views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", case_views.CaseRecordView.as_view(), name="case_create"),
    path("cases/<int:pk>/", case_views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/assign/", case_views.CaseAssignView.as_view(), name="case_assign"),
    path("cases/<int:pk>/transfer/", case_views.CaseTransferView.as_view(), name="case_transfer"),
    path("cases/<int:pk>/reply/", case_views.CaseReplyView.as_view(), name="case_reply"),
    path("cases/<int:pk>/close/", case_views.CaseCloseView.as_view(), name="case_close"),
]
