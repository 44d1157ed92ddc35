"""Memberships' URLs, under /payments/memberships/ (names in the ``commerce`` namespace)."""

from django.urls import path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from . import views

urlpatterns = [
    path("mine/", views.mine, name="my_memberships"),
    path("plans/<id:plan_id>/join/", views.join, name="membership_join"),
    path("fees/<id:application_id>/pay/", views.pay_application_fee, name="application_fee_pay"),
    path("<slug:slug>/", views.plans, name="membership_plans"),
]
