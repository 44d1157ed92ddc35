from django.apps import AppConfig


class EndorsementConfig(AppConfig):
    name = "lms.endorsement"
    label = "endorsement"
    verbose_name = "Endorsement"
