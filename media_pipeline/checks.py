"""Start-up checks: ``manage.py check`` (and ``runserver``, ``migrate``) report a speech
engine that cannot run here, as the worker refuses to start with one
(:mod:`media_pipeline.tasks`)."""

from django.core.checks import Error, register

from .services.auto_captions import check_engine


@register("media_pipeline")
def speech_engine_check(app_configs=None, **kwargs):
    problem = check_engine()
    if problem is None:
        return []
    return [
        Error(
            f"Automatic captions cannot run: {problem}",
            hint=(
                "Install the engine and its model files, point "
                "MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS at them, or set "
                "MEDIA_PIPELINE_CAPTION_ENGINE to an empty value to turn automatic "
                "captions off."
            ),
            id="media_pipeline.E001",
        )
    ]
