"""Payments' URLs: checkout and Stripe's webhook, memberships, invoices and receipts."""

from django.urls import include, path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from .views import checkout, webhooks

app_name = "commerce"

urlpatterns = [
    path("trainings/<id:training_id>/buy/", checkout.buy_training, name="buy_training"),
    path("orders/<uuid:reference>/", checkout.order_status, name="order"),
    path("orders/<uuid:reference>/pay/", checkout.pay, name="pay"),
    path("orders/<uuid:reference>/coupon/", checkout.coupon, name="coupon"),
    path("stripe/<slug:slug>/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("memberships/", include("commerce.memberships.urls")),
    path("invoices/", include("commerce.invoicing.urls")),
    path("offers/", include("commerce.offers.urls")),
]
