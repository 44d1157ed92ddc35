from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "lms.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from . import branding, receivers  # noqa: F401 - connect their signal receivers
        from .privacy import register

        register()
