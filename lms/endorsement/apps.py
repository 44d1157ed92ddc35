from django.apps import AppConfig


class EndorsementConfig(AppConfig):
    name = "lms.endorsement"
    label = "endorsement"
    verbose_name = "Endorsement"

    def ready(self):
        # The integrations app is this layer's neighbour; its erasure step is registered
        # here so that its own AppConfig stays as its owners keep it.
        from lms.integrations.privacy import register as register_webhook_erasure

        from .privacy import register

        register()
        register_webhook_erasure()
