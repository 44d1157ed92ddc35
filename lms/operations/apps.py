from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Attune: system checks on its keys, the single beat scheduler, and the commands
    that say which backups restore (docs/operations.md)."""

    name = "lms.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from . import checks  # noqa: F401
