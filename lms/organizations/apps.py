from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "lms.organizations"
    label = "organizations"
    verbose_name = "Organizations"

    def ready(self):
        from . import branding, receivers  # noqa: F401 - connect their signal receivers
        from .privacy import register

        register()
