from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = "Centers"

    def ready(self):
        from . import privacy  # noqa: F401 - registers the person's roster data
