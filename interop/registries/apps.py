from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "interop.registries"
    label = "interop_registries"
    verbose_name = _("Registry rosters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .privacy import register

        register()
