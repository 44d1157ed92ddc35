"""Playback URLs (wired in ``lms/urls.py`` under ``/play/``)."""

from django.urls import path

from . import views

app_name = "media_pipeline"

urlpatterns = [
    path("<uuid:key>/sources/", views.recording_sources, name="sources"),
    path("<uuid:key>/transcript/<str:language>.txt", views.transcript, name="transcript"),
    path("f/<str:token>/<str:filename>", views.playback_file, name="file"),
]
