"""The permission grid's rows for payments' invoicing URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, CENTER

EXPECTED = {
    # A paid order's receipt: its buyer and the association's administrators.
    "commerce:receipt": ("owner", "admin", "superuser"),
    # A center's invoices: its managers see them, record the purchase order and pay by card
    # (POSTs); the PDF also for the association's administrators.
    "commerce:center_invoices": CENTER,
    "commerce:invoice_po": ("manager", "admin", "superuser"),
    "commerce:invoice_pay": CENTER,
    "commerce:invoice_pdf": ("manager", "admin", "superuser"),
    # The association's invoice screens and revenue report in the admin (transitions POST).
    "invoices_admin:index": ADMINS,
    "invoices_admin:quote": ADMINS,
    "invoices_admin:invoice": ADMINS,
    "invoices_admin:record_po": ADMINS,
    "invoices_admin:issue": ADMINS,
    "invoices_admin:mark_paid": ADMINS,
    "invoices_admin:void": ADMINS,
    "payments_reports:revenue": ADMINS,
    "payments_reports:revenue_csv": ADMINS,
}
