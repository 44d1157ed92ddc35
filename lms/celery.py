"""The one Celery app. Queues: ``default`` for short jobs, ``transcode`` for ffmpeg work."""

import os
from pathlib import Path

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("transcode"))
app.conf.task_default_queue = "default"
app.conf.task_routes = {"media_pipeline.tasks.*": {"queue": "transcode"}}
app.autodiscover_tasks()


def ensure_broker_folders():
    """Create the folders kombu's filesystem transport reads and writes, if that is in use."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = app.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_embedded_broker(sender, **kwargs):
    ensure_broker_folders()


@app.task(name="lms.ping")
def ping(value):
    """Round-trip check: returns what it was given. Used by health checks and tests."""
    return value
