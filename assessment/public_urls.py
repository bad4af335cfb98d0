"""The public, mobile-first voting pages of the democratic evaluation (民主测评), under /ceping/."""

from django.urls import path

from . import public_views as views

app_name = "ceping"

urlpatterns = [
    path("", views.BallotStartView.as_view(), name="start"),
    path("v/<str:code>/", views.BallotVoteView.as_view(), name="ballot"),
    path("done/", views.BallotDoneView.as_view(), name="done"),
]
