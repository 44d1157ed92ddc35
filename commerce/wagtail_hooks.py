"""Registers the payment screens (``admin_views``) in Wagtail's admin: the association's
Stripe account and its orders."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_views as views


@hooks.register("register_admin_urls")
def register_payments_admin_urls():
    stripe = [
        path("", views.stripe_index, name="index"),
        path("<slug:slug>/", views.stripe_edit, name="edit"),
        path("<slug:slug>/check/", views.stripe_check, name="check"),
    ]
    orders = [
        path("", views.orders, name="index"),
        path("<uuid:reference>/", views.order, name="order"),
        path("<uuid:reference>/refund/", views.refund, name="refund"),
    ]
    return [
        path("payments/stripe/", include((stripe, "stripe_admin"))),
        path("payments/orders/", include((orders, "orders_admin"))),
    ]


@hooks.register("register_admin_menu_item")
def register_orders_menu_item():
    return views.PaymentsMenuItem(
        _("Orders"), reverse("orders_admin:index"), icon_name="list-ul", order=205
    )


@hooks.register("register_admin_menu_item")
def register_stripe_menu_item():
    return views.PaymentsMenuItem(
        _("Stripe settings"), reverse("stripe_admin:index"), icon_name="cog", order=208
    )
