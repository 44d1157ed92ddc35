from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "commerce.offers"
    label = "commerce_offers"
    verbose_name = _("Coupons and bundles")
    default_auto_field = "django.db.models.BigAutoField"
