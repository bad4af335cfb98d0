"""The residents' pages under /shifan/: no login."""

from django.urls import path

from . import views

app_name = "shifan"

urlpatterns = [
    path("", views.PublicShowcaseView.as_view(), name="showcase"),
    path("photos/<int:pk>/", views.PublicPhotoView.as_view(), name="photo"),
]
