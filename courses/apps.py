from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self):
        # privacy registers the learner's data; media managers hear of stuck recordings.
        from . import privacy, recording_alerts, signals  # noqa: F401
