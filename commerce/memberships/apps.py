from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipsConfig(AppConfig):
    name = "commerce.memberships"
    label = "commerce_memberships"
    verbose_name = _("Memberships")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from commerce.fulfilment import LineHandler, register
        from commerce.models.orders import LineKind

        from .fulfilment import fulfil_fee, fulfil_membership

        # A refund keeps the membership and the fee paid unless an admin acts (cancels the
        # membership); revoking silently would surprise the member.
        register(LineKind.MEMBERSHIP, LineHandler(fulfil=fulfil_membership))
        register(LineKind.FEE, LineHandler(fulfil=fulfil_fee))
