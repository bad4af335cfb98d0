from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("", views.CommunityListView.as_view(), name="community_list"),
    path("mine/", views.MyCommunityView.as_view(), name="my_community"),
    path("new/", views.CommunityCreateView.as_view(), name="community_create"),
    path("<int:pk>/", views.CommunityDetailView.as_view(), name="community_detail"),
    path("<int:pk>/edit/", views.CommunityUpdateView.as_view(), name="community_update"),
    path("<int:pk>/members/", views.PartyMemberListView.as_view(), name="partymember_list"),
]
