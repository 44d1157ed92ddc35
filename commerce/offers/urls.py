"""Bundles' URLs, under /payments/offers/ (names in the ``commerce`` namespace)."""

from django.urls import path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from . import views

urlpatterns = [
    path("bundles/<id:bundle_id>/", views.bundle, name="bundle"),
    path("bundles/<id:bundle_id>/buy/", views.buy_bundle, name="bundle_buy"),
    path("<slug:slug>/bundles/", views.bundles, name="bundles"),
]
