from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self):
        from . import privacy, signals  # noqa: F401 - privacy registers the learner's data
        from . import recording_alerts  # noqa: F401 - media managers hear of stuck recordings
