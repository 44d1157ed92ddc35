from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Attune: system checks on its keys, the single beat scheduler, and the commands
    that say which backups restore (docs/operations.md)."""

    name = "lms.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from . import checks  # noqa: F401
