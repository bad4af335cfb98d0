"""The public, mobile-first voting pages of the democratic evaluation (民主测评), under /ceping/.
No address carries a code (see public_views)."""

from django.urls import path

from . import public_views as views

app_name = "ceping"

urlpatterns = [
    path("", views.BallotStartView.as_view(), name="start"),
    path("vote/", views.BallotVoteView.as_view(), name="vote"),
    path("done/", views.BallotDoneView.as_view(), name="done"),
]
