from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "commerce.invoicing"
    label = "commerce_invoicing"
    verbose_name = _("Invoices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from commerce.fulfilment import LineHandler, register
        from commerce.models import LineKind

        from .services import fulfil_invoice_line

        # A card payment of an INVOICE line marks the invoice paid; a refund of it is the
        # association's business with the center (the contract stays active): no revoke.
        register(LineKind.INVOICE, LineHandler(fulfil=fulfil_invoice_line))
