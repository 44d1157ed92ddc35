from django.apps import AppConfig


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    label = "media_pipeline"
    verbose_name = "Media pipeline"

    def ready(self):
        from . import checks  # noqa: F401 - registers the start-up checks
