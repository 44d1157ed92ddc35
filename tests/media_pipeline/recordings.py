"""Helpers for tests that drive recordings through the services."""

from django.core.files import File

from media_pipeline import services
from media_pipeline.storage import list_tree


def upload(owner, path, *, title="Attachment in the first year", filename=None):
    with open(path, "rb") as handle:
        return services.create_recording(
            owner=owner, title=title, source=File(handle), filename=filename or path.name
        )


def stored_files(recording) -> list[str]:
    return sorted(list_tree(recording.storage_prefix))
