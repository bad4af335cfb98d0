from django.urls import path

from . import public_cases, public_decisions, public_rights
from . import public_views as views

app_name = "gongkai"

urlpatterns = [
    path("", views.BoardIndexView.as_view(), name="board_index"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("files/<int:pk>/", views.PublicAttachmentView.as_view(), name="attachment"),
    path("suqiu/", public_cases.CaseFileView.as_view(), name="case_file"),
    path("suqiu/chaxun/", public_cases.CaseQueryView.as_view(), name="case_query"),
    path("siquan/", public_rights.RightsIndexView.as_view(), name="rights_index"),
    path("siquan/method/", public_rights.RightsMethodView.as_view(), name="rights_method"),
    path("siquan/<slug:slug>/", public_rights.RightsCommunityView.as_view(), name="rights_community"),
    path("read/<int:pk>/", public_rights.NoticeReadView.as_view(), name="notice_read"),
    path("qr/<int:pk>/", public_rights.NoticeQrView.as_view(), name="notice_qr"),
    path("<slug:slug>/", views.BoardView.as_view(), name="board"),
    path("<slug:slug>/yishi/", public_decisions.MeetingListView.as_view(), name="meeting_list"),
    path("<slug:slug>/yishi/<int:pk>/", public_decisions.TrailView.as_view(), name="meeting_trail"),
    path("<slug:slug>/yishi/<int:pk>/opinion/", public_decisions.OpinionView.as_view(), name="meeting_opinion"),
    path("<slug:slug>/feed/", views.BoardFeed(), name="board_feed"),
    path("<slug:slug>/<int:pk>/", views.NoticeView.as_view(), name="notice"),
    path("<slug:slug>/<int:pk>/question/", views.NoticeQuestionView.as_view(), name="notice_question"),
    path("<slug:slug>/<int:pk>/print/", views.NoticePrintView.as_view(), name="notice_print"),
]
