from django.urls import path

from . import views
from .views import cases as case_views
from .views import decisions as decision_views
from .views import supervision as supervision_views

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
    # 居务监督委员会 and the 街道's monitoring
    path("supervision/", supervision_views.SupervisionQueueView.as_view(), name="supervision_queue"),
    path("supervision/notices/<int:pk>/", supervision_views.SupervisionNoticeView.as_view(), name="supervision_notice"),
    path(
        "supervision/notices/<int:pk>/check/",
        supervision_views.NoticeCommitteeCheckView.as_view(),
        name="notice_committee_check",
    ),
    path(
        "supervision/notices/<int:pk>/return/",
        supervision_views.NoticeCommitteeReturnView.as_view(),
        name="notice_committee_return",
    ),
    path("supervision/committees/", supervision_views.CommitteeListView.as_view(), name="committee_list"),
    path("supervision/committees/new/", supervision_views.CommitteeCreateView.as_view(), name="committee_create"),
    path(
        "supervision/committees/<int:pk>/edit/",
        supervision_views.CommitteeUpdateView.as_view(),
        name="committee_update",
    ),
    path("supervision/monitoring/", supervision_views.MonitoringView.as_view(), name="monitoring"),
    path(
        "notices/<int:pk>/sample-check/", supervision_views.SampleCheckCreateView.as_view(), name="sample_check_create"
    ),
    path("supervision/instructions/", supervision_views.InstructionListView.as_view(), name="instruction_list"),
    path("supervision/instructions/new/", supervision_views.InstructionCreateView.as_view(), name="instruction_create"),
    path(
        "supervision/instructions/<int:pk>/answer/",
        supervision_views.InstructionAnswerView.as_view(),
        name="instruction_answer",
    ),
    # decision trails and the event ledger
    path("meetings/<int:pk>/trail/", decision_views.MeetingTrailView.as_view(), name="meeting_trail"),
    path("meetings/<int:pk>/announce/", decision_views.MeetingAnnounceView.as_view(), name="meeting_announce"),
    path("meetings/<int:pk>/decisions/new/", decision_views.DecisionCreateView.as_view(), name="decision_create"),
    path("opinions/<int:pk>/moderate/", decision_views.OpinionModerateView.as_view(), name="opinion_moderate"),
    path("decisions/<int:pk>/edit/", decision_views.DecisionUpdateView.as_view(), name="decision_update"),
    path("decisions/<int:pk>/items/new/", decision_views.DecisionItemCreateView.as_view(), name="decision_item_create"),
    path("decision-items/<int:pk>/edit/", decision_views.DecisionItemUpdateView.as_view(), name="decision_item_update"),
    path("events/", decision_views.EventListView.as_view(), name="event_list"),
    path("events/new/", decision_views.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/notice/", decision_views.EventDraftNoticeView.as_view(), name="event_notice"),
]
