"""Registers the invoice screens and the revenue report (``admin_views``) in Wagtail's admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from . import admin_views as views


@hooks.register("register_admin_urls")
def register_invoice_admin_urls():
    invoices = [
        path("", views.index, name="index"),
        path("quote/<id:contract_id>/", views.quote, name="quote"),
        path("<id:invoice_id>/", views.invoice, name="invoice"),
        path("<id:invoice_id>/purchase-order/", views.record_po, name="record_po"),
        path("<id:invoice_id>/issue/", views.issue, name="issue"),
        path("<id:invoice_id>/paid/", views.mark_paid, name="mark_paid"),
        path("<id:invoice_id>/void/", views.void, name="void"),
    ]
    reports = [
        path("", views.revenue, name="revenue"),
        path("revenue.csv", views.revenue_export, name="revenue_csv"),
    ]
    return [
        path("invoices/", include((invoices, "invoices_admin"))),
        path("revenue/", include((reports, "payments_reports"))),
    ]


@hooks.register("register_admin_menu_item")
def register_invoices_menu_item():
    return views.PaymentsMenuItem(
        _("Invoices"), reverse("invoices_admin:index"), icon_name="doc-full-inverse", order=206
    )


@hooks.register("register_admin_menu_item")
def register_revenue_menu_item():
    return views.PaymentsMenuItem(
        _("Revenue"), reverse("payments_reports:revenue"), icon_name="table", order=207
    )
