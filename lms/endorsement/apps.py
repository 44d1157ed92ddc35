from django.apps import AppConfig


class EndorsementConfig(AppConfig):
    name = "lms.endorsement"
    label = "endorsement"
    verbose_name = "Endorsement"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal listeners
