"""The party organisation tree, members' records and the 党员's own pages (issue 14; namespace
org, mounted at /org/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from communities.organisation_resources import PartyOrganisationResource
from communities.views import organisation as views
from jiedao.imports import resource_urls

app_name = "org"

urlpatterns = [
    path("", views.OrganisationTreeView.as_view(), name="tree"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("<int:pk>/new/", views.OrganisationChildCreateView.as_view(), name="organisation_create"),
    path("<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_update"),
    path("<int:pk>/posts/new/", views.PostCreateView.as_view(), name="post_create"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("members/<int:pk>/oath/", views.MemberOathView.as_view(), name="member_oath"),
    path("members/<int:pk>/decision/", views.MemberDecisionView.as_view(), name="member_decision"),
    path("members/<int:pk>/transfer-out/", views.MemberTransferOutView.as_view(), name="member_transfer_out"),
    path("members/<int:pk>/account/", views.MemberAccountView.as_view(), name="member_account"),
    path("transfers/<int:pk>/letter/", views.TransferLetterView.as_view(), name="transfer_letter"),
    path("transfers/<int:pk>/receipt/", views.TransferReceiptView.as_view(), name="transfer_receipt"),
    path("members/<int:pk>/flow/", views.MemberFlowView.as_view(), name="member_flow"),
    path("community/<int:pk>/transfer-in/", views.TransferInView.as_view(), name="transfer_in"),
    # 发展党员
    path("community/<int:pk>/recruits/", views.RecruitListView.as_view(), name="recruit_list"),
    path("community/<int:pk>/recruits/new/", views.RecruitCreateView.as_view(), name="recruit_create"),
    path("recruits/<int:pk>/step/", views.RecruitStepView.as_view(), name="recruit_step"),
    # the 党员's own pages (phone first)
    path("me/", views.MyRecordView.as_view(), name="me"),
    path("me/notices/<int:pk>/", views.MyNoticeView.as_view(), name="my_notice"),
]

# 党组织 import, export and template (staff): org:organisation_import / _export / _template.
urlpatterns += resource_urls(
    "organisation",
    PartyOrganisationResource,
    title=_("party organisations"),
    filename="党组织",
    back_url="org:tree",
    app_name=app_name,
)
