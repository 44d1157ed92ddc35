"""Payments' URLs: checkout and Stripe's webhook, memberships, invoices and receipts."""

from django.urls import include, path

app_name = "commerce"

urlpatterns = [
    path("memberships/", include("commerce.memberships.urls")),
    path("invoices/", include("commerce.invoicing.urls")),
    path("offers/", include("commerce.offers.urls")),
]
