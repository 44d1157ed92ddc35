"""Captioning: storing a recording's caption track in a language, whoever wrote it (an
upload, the caption editor, the worker's speech engine), keeping every earlier version, and
removing a track. Checking the WebVTT or SRT is :mod:`media_pipeline.captions`' work.

A track is replaced in place, so its versions stay with it. Automatic captions never
overwrite a track a person has checked (reviewed or uploaded).
"""

import webvtt
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import storage
from ..captions import CaptionError, parse_captions
from ..models import Caption, CaptionState, CaptionVersion, Recording
from ..signals import captions_changed


class CaptionKept(Exception):
    """Automatic captions were not stored: a person's track in that language stays."""


def plain_text(webvtt_text: str) -> str:
    """The words of a WebVTT track, one cue per line, markup removed."""
    track = webvtt.from_string(webvtt_text)
    return "\n".join(" ".join(cue.text.split()) for cue in track.captions if cue.text.strip())


def _announce(recording: Recording, language: str) -> None:
    transaction.on_commit(
        lambda: captions_changed.send_robust(sender=Caption, recording=recording, language=language)
    )


def store_caption(
    *,
    recording: Recording,
    language: str,
    label: str,
    webvtt_text: str,
    state: str,
    by=None,
    note: str = "",
) -> Caption:
    """Store ``webvtt_text`` (checked again here) as the recording's track in ``language``
    with ``state``, as a new version. Raises :class:`~media_pipeline.captions.CaptionError`
    naming the line, or :class:`CaptionKept` for automatic captions over a person's track."""
    parsed = parse_captions(webvtt_text.encode())
    name = storage.pipeline_storage().save(
        f"{recording.storage_prefix}/captions/{language}.vtt",
        ContentFile(parsed.webvtt.encode()),
    )
    old_name = None
    try:
        with transaction.atomic():
            caption = (
                Caption.objects.select_for_update()
                .filter(recording=recording, language=language)
                .first()
            )
            if caption is None:
                caption = Caption(recording=recording, language=language)
            elif state == CaptionState.AUTOMATIC and caption.is_checked_by_a_person:
                raise CaptionKept(
                    _("Automatic captions were made but not stored: the %(state)s track stays.")
                    % {"state": caption.get_state_display().lower()}
                )
            else:
                old_name = caption.file.name
            caption.label = label.strip() or caption.label or language
            caption.file.name = name
            caption.cue_count = parsed.cue_count
            caption.state = state
            caption.text = plain_text(parsed.webvtt)
            if state == CaptionState.REVIEWED:
                caption.reviewed_by, caption.reviewed_at = by, timezone.now()
            else:
                caption.reviewed_by, caption.reviewed_at = None, None
            caption.save()
            number = (caption.versions.aggregate(last=Max("number"))["last"] or 0) + 1
            CaptionVersion.objects.create(
                caption=caption,
                number=number,
                state=state,
                webvtt=parsed.webvtt,
                cue_count=parsed.cue_count,
                created_by=by,
                note=note[:255],
            )
            if old_name and old_name != name:
                transaction.on_commit(lambda: storage.pipeline_storage().delete(old_name))
            _announce(recording, language)
    except BaseException:
        storage.pipeline_storage().delete(name)
        raise
    return caption


def add_caption(
    *, recording: Recording, language: str, label: str, data: bytes, by=None
) -> Caption:
    """Store an uploaded WebVTT or SRT file as the recording's captions in ``language``
    (a new version of any earlier track). Raises
    :class:`~media_pipeline.captions.CaptionError` naming the line."""
    parsed = parse_captions(data)
    return store_caption(
        recording=recording,
        language=language,
        label=label,
        webvtt_text=parsed.webvtt,
        state=CaptionState.UPLOADED,
        by=by,
        note=_("Uploaded (%(format)s)") % {"format": parsed.converted_from.upper()},
    )


def delete_caption(*, caption: Caption) -> None:
    name = caption.file.name
    recording, language = caption.recording, caption.language
    with transaction.atomic():
        caption.delete()
        _announce(recording, language)
    storage.pipeline_storage().delete(name)


__all__ = ["CaptionError", "CaptionKept", "add_caption", "delete_caption", "store_caption"]
