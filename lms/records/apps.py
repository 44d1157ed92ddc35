from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "lms.records"
    label = "records"
    verbose_name = "Training records"

    def ready(self):
        from .privacy import register

        register()
