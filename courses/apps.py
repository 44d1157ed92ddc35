from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # privacy registers the learner's data; media managers hear of stuck recordings.
        from . import privacy, recording_alerts, signals  # noqa: F401
