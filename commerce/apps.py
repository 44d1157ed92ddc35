from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .fulfilment import LineHandler, register
        from .models import LineKind
        from .training_lines import enroll_buyer, unenroll_buyer

        register(LineKind.TRAINING, LineHandler(fulfil=enroll_buyer, revoke=unenroll_buyer))
