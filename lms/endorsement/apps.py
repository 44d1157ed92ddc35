from django.apps import AppConfig


class EndorsementConfig(AppConfig):
    name = "lms.endorsement"
    label = "endorsement"
    verbose_name = "Endorsement"

    def ready(self):
        # The integrations app is this layer's neighbour; its erasure step is registered
        # here so that its own AppConfig stays as its owners keep it.
        from django.utils.translation import gettext, ngettext

        from lms.integrations.privacy import register as register_webhook_erasure

        from .privacy import register
        from .rules import i18n

        # The rules package imports no Django: its sentences and labels are translated
        # through Django's gettext, installed here.
        i18n.install(gettext, ngettext)
        register()
        register_webhook_erasure()
