from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "lms.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from . import receivers  # noqa: F401
