from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = _("Centers")

    def ready(self):
        from . import privacy  # noqa: F401 - registers the person's roster data
