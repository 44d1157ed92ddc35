from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "interop.sso"
    label = "interop_sso"
    verbose_name = _("Association sign-in")
    default_auto_field = "django.db.models.BigAutoField"
