"""Captioning: storing a recording's captions in a language from a WebVTT or SRT file, and
removing them. Parsing the file is :mod:`media_pipeline.captions`' work."""

from django.core.files.base import ContentFile
from django.db import transaction

from .. import storage
from ..captions import parse_captions
from ..models import Caption, Recording


def add_caption(*, recording: Recording, language: str, label: str, data: bytes) -> Caption:
    """Store a WebVTT or SRT file as the recording's captions in ``language`` (replacing any
    earlier ones). Raises :class:`~media_pipeline.captions.CaptionError` naming the line."""
    parsed = parse_captions(data)
    previous = Caption.objects.filter(recording=recording, language=language).first()
    caption = Caption(recording=recording, language=language, label=label.strip())
    caption.cue_count = parsed.cue_count
    caption.file.save(f"{language}.vtt", ContentFile(parsed.webvtt.encode()), save=False)
    try:
        with transaction.atomic():
            if previous is not None:
                previous.delete()
                transaction.on_commit(lambda: storage.pipeline_storage().delete(previous.file.name))
            caption.save()
    except BaseException:
        storage.pipeline_storage().delete(caption.file.name)
        raise
    return caption


def delete_caption(*, caption: Caption) -> None:
    name = caption.file.name
    caption.delete()
    storage.pipeline_storage().delete(name)
