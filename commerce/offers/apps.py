from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "commerce.offers"
    label = "commerce_offers"
    verbose_name = _("Coupons and bundles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from commerce.fulfilment import LineHandler, register
        from commerce.models import LineKind

        from .fulfilment import enroll_in_bundle, unenroll_from_bundle

        register(LineKind.BUNDLE, LineHandler(fulfil=enroll_in_bundle, revoke=unenroll_from_bundle))
