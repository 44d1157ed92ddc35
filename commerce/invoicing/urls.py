"""Invoices and receipts, in the ``commerce`` namespace (included under /payments/invoices/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("receipt/<uuid:reference>/", views.receipt, name="receipt"),
    path("center/<slug:center>/", views.center_invoices, name="center_invoices"),
    path("<uuid:invoice>/purchase-order/", views.invoice_po, name="invoice_po"),
    path("<uuid:invoice>/pay/", views.invoice_pay, name="invoice_pay"),
    path("<uuid:invoice>/pdf/", views.invoice_document, name="invoice_pdf"),
]
