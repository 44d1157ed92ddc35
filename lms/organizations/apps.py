from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "lms.organizations"
    label = "organizations"
    verbose_name = "Organizations"

    def ready(self):
        from . import receivers  # noqa: F401 - records role changes in the audit log
