"""The 三会一课 register, the 党费 ledger and the party member's own pages (namespace partylife,
mounted at /party/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from communities.party_life_resources import DuesBaseResource, DuesPaymentResource, MeetingAttendanceResource
from communities.views import party_life as views
from jiedao.imports import resource_urls
from jiedao.permissions import Role

app_name = "partylife"

urlpatterns = [
    # 党费 (staff and the community's secretary keep it; inspectors and auditors read it)
    path("dues/rates/", views.DuesRateListView.as_view(), name="dues_rates"),
    path("dues/rates/<int:pk>/edit/", views.DuesRateUpdateView.as_view(), name="dues_rate_update"),
    path("<int:pk>/dues/", views.DuesLedgerView.as_view(), name="dues_ledger"),
    path("<int:pk>/dues/half-year/", views.DuesHalfYearDraftView.as_view(), name="dues_half_year_draft"),
    path("dues/members/<int:pk>/", views.DuesMemberView.as_view(), name="dues_member"),
    path("dues/members/<int:pk>/base/", views.DuesBaseCreateView.as_view(), name="dues_base_create"),
    path("dues/members/<int:pk>/payment/", views.DuesPaymentCreateView.as_view(), name="dues_payment_create"),
    path("dues/reviews/<int:pk>/", views.DuesReviewDecideView.as_view(), name="dues_review_decide"),
    # 三会一课 and 主题党日 register
    path("<int:pk>/meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("meetings/<int:pk>/attendance/", views.MeetingAttendanceView.as_view(), name="meeting_attendance"),
    path("meetings/<int:pk>/photos/", views.MeetingPhotosView.as_view(), name="meeting_photos"),
    path("meetings/<int:pk>/photos/<int:photo_pk>/", views.MeetingPhotoView.as_view(), name="meeting_photo"),
    path("meetings/<int:pk>/signin-reset/", views.MeetingSigninResetView.as_view(), name="meeting_signin_reset"),
    # the party member's own pages
    path("signin/<str:token>/", views.MeetingSigninView.as_view(), name="meeting_signin"),
    path("me/dues/", views.MyDuesView.as_view(), name="my_dues"),
    path("me/meetings/", views.MyMeetingsView.as_view(), name="my_meetings"),
]

# 党费 spreadsheets (staff): partylife:dues_base_import / _export / _template, and dues_payment_*.
for _name, _resource, _title, _filename in [
    ("dues_base", DuesBaseResource, _("party dues bases"), "党费基数"),
    ("dues_payment", DuesPaymentResource, _("party dues payments"), "党费交纳"),
]:
    urlpatterns += resource_urls(
        _name, _resource, title=_title, filename=_filename, back_url="partylife:dues_rates", app_name=app_name
    )

# 三会一课 meetings with attendance: staff, and a secretary for their own community's organisations.
urlpatterns += resource_urls(
    "meeting",
    MeetingAttendanceResource,
    title=_("meetings with attendance"),
    filename="三会一课",
    app_name=app_name,
    import_view=views.MeetingImportView,
    roles=(Role.STAFF, Role.SECRETARY),
)
