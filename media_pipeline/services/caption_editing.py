"""The caption editor's writes: a track's cues, as the editor sends them, saved as a new
version; an old version restored; a new language track started from another's timing.

The cues arrive as JSON (``[{"start": 1.5, "end": 3.0, "text": "…"}]``, seconds). They are
checked here, turned into WebVTT with ``webvtt-py`` and stored through
:func:`~media_pipeline.services.captioning.store_caption`, which checks the WebVTT again and
keeps the version. A save names the version it was based on: a save based on an older one
is refused (someone else saved in between), and the same save sent twice stores one version.
"""

import math
from dataclasses import dataclass

import webvtt
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..captions import MAX_CUES, CaptionError, webvtt_timestamp
from ..models import Caption, CaptionState, CaptionVersion, Recording
from .captioning import CaptionKept, store_caption

MAX_CUE_CHARACTERS = 1000
# Longer than any recording Attune accepts; a typo of an extra digit is caught.
MAX_SECONDS = 24 * 3600


class EditRefused(ValueError):
    """The edit cannot be saved; the message says what to change. Nothing was stored."""


class StaleEdit(EditRefused):
    """Someone saved a newer version than the one the edit started from."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(value, number: int, which: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EditRefused(
            _("Cue %(number)s: its %(which)s time is not a number of seconds.")
            % {"number": number, "which": which}
        )
    if not 0 <= value <= MAX_SECONDS:
        raise EditRefused(
            _("Cue %(number)s: its %(which)s time is outside the recording.")
            % {"number": number, "which": which}
        )
    return round(float(value), 3)


def _text(value, number: int) -> str:
    if not isinstance(value, str):
        raise EditRefused(_("Cue %(number)s: its text is missing.") % {"number": number})
    # WebVTT ends a cue at a blank line and a timing at "-->"; neither belongs in the words.
    lines = [" ".join(line.split()) for line in value.replace("\r", "\n").split("\n")]
    text = "\n".join(line for line in lines if line).replace("-->", "→")
    if not text:
        raise EditRefused(
            _("Cue %(number)s has no words: write them or delete the cue.") % {"number": number}
        )
    if len(text) > MAX_CUE_CHARACTERS:
        raise EditRefused(
            _("Cue %(number)s is longer than %(limit)s characters: split it.")
            % {"number": number, "limit": MAX_CUE_CHARACTERS}
        )
    return text


def checked_cues(data) -> list[Cue]:
    """The editor's JSON cues, checked one by one; :class:`EditRefused` names the first
    cue to fix (counting from 1, as the editor shows them)."""
    if not isinstance(data, list):
        raise EditRefused(_("The cues did not arrive as a list; reload the editor."))
    if not data:
        raise EditRefused(_("A track needs at least one cue."))
    if len(data) > MAX_CUES:
        raise EditRefused(
            _("A track can have at most %(limit)s cues; merge short ones.")
            % {"limit": f"{MAX_CUES:,}"}
        )
    cues = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise EditRefused(_("Cue %(number)s is not a cue.") % {"number": number})
        start = _seconds(item.get("start"), number, _("start"))
        end = _seconds(item.get("end"), number, _("end"))
        if end <= start:
            raise EditRefused(
                _("Cue %(number)s ends before it starts: make its end later than its start.")
                % {"number": number}
            )
        cues.append(Cue(start=start, end=end, text=_text(item.get("text"), number)))
    return sorted(cues, key=lambda cue: (cue.start, cue.end))


def cues_to_webvtt(cues: list[Cue]) -> str:
    track = webvtt.WebVTT()
    for cue in cues:
        track.captions.append(
            webvtt.Caption(webvtt_timestamp(cue.start), webvtt_timestamp(cue.end), cue.text)
        )
    return track.content


def _latest(caption: Caption) -> CaptionVersion | None:
    return caption.versions.select_related("created_by").order_by("-number").first()


def _stale_message(latest: CaptionVersion) -> str:
    when = formats.date_format(timezone.localtime(latest.created_at), "DATETIME_FORMAT")
    who = latest.created_by.get_full_name() or latest.created_by.email if latest.created_by else ""
    if who:
        return _(
            "%(who)s saved a newer version (%(number)s) at %(when)s. Reload the editor to "
            "see it; your changes were not saved."
        ) % {"who": who, "number": latest.number, "when": when}
    return _(
        "A newer version (%(number)s) was saved at %(when)s. Reload the editor to see it; "
        "your changes were not saved."
    ) % {"number": latest.number, "when": when}


def _state_after_edit(caption: Caption, reviewed: bool) -> str:
    if reviewed:
        return CaptionState.REVIEWED
    # Unticked, an automatic track stays unreviewed and a person's track stays theirs.
    return CaptionState.AUTOMATIC if caption.state == CaptionState.AUTOMATIC else caption.state


def save_edited_captions(
    *, caption: Caption, based_on: int, cues, reviewed: bool, by, note: str = ""
) -> tuple[Caption, bool]:
    """Store the editor's ``cues`` as a new version of ``caption``; ``reviewed`` marks the
    track checked by ``by``. Returns the caption and whether a version was added (the
    same save sent twice adds none). Raises :class:`StaleEdit` when ``based_on`` is not
    the newest version, :class:`EditRefused` for cues that cannot be saved."""
    text = cues_to_webvtt(checked_cues(cues))
    with transaction.atomic():
        locked = Caption.objects.select_for_update().get(pk=caption.pk)
        latest = _latest(locked)
        state = _state_after_edit(locked, reviewed)
        newest = latest.number if latest else 0
        if latest is not None and newest == based_on + 1 and _same_save(latest, text, state, by):
            return locked, False  # a double submit: the first one is the save
        if newest != based_on:
            raise StaleEdit(
                _stale_message(latest)
                if latest
                else _("This track changed since the editor opened; reload it.")
            )
        try:
            with transaction.atomic():
                stored = store_caption(
                    recording=locked.recording,
                    language=locked.language,
                    label=locked.label,
                    webvtt_text=text,
                    state=state,
                    by=by,
                    note=note or _("Edited in the caption editor"),
                )
        except CaptionError as error:
            raise EditRefused(str(error)) from error
        except IntegrityError as error:  # another save took the same version number
            raise StaleEdit(_("Someone saved this track at the same moment; reload it.")) from error
    return stored, True


def _same_save(version: CaptionVersion, text: str, state: str, by) -> bool:
    return version.created_by_id == getattr(by, "pk", None) and (
        version.state == state and version.webvtt == text
    )


def restore_version(*, caption: Caption, number: int, by) -> Caption:
    """A new version of ``caption`` with version ``number``'s words, timing and state (a
    restored reviewed version is reviewed again, by ``by``, now)."""
    old = caption.versions.filter(number=number).first()
    if old is None:
        raise EditRefused(_("There is no version %(number)s to restore.") % {"number": number})
    try:
        return store_caption(
            recording=caption.recording,
            language=caption.language,
            label=caption.label,
            webvtt_text=old.webvtt,
            state=old.state,
            by=by,
            note=_("Restored version %(number)s") % {"number": number},
        )
    except CaptionKept as kept:
        raise EditRefused(
            _(
                "Version %(number)s holds automatic captions nobody reviewed; it cannot replace "
                "the %(state)s track. Fix the current words in the editor instead."
            )
            % {"number": number, "state": caption.get_state_display().lower()}
        ) from kept
    except CaptionError as error:
        raise EditRefused(str(error)) from error


def start_track(
    *,
    recording: Recording,
    source: Caption,
    language: str,
    label: str,
    cues,
    reviewed: bool,
    by,
) -> Caption:
    """A new track in ``language`` from the editor's ``cues`` (which began as ``source``'s,
    for its timing). Refused if the recording already has a track in that language."""
    text = cues_to_webvtt(checked_cues(cues))
    if reviewed:
        state = CaptionState.REVIEWED
    elif source.state == CaptionState.AUTOMATIC:
        state = CaptionState.AUTOMATIC
    else:
        state = CaptionState.UPLOADED
    try:
        with transaction.atomic():
            if recording.captions.filter(language=language).exists():
                raise EditRefused(
                    _("This recording already has a track in %(language)s: edit that one.")
                    % {"language": language}
                )
            return store_caption(
                recording=recording,
                language=language,
                label=label,
                webvtt_text=text,
                state=state,
                by=by,
                note=_("Started from the %(label)s track") % {"label": source.label},
            )
    except IntegrityError as error:  # the same language added at the same moment
        raise EditRefused(
            _("This recording already has a track in %(language)s: edit that one.")
            % {"language": language}
        ) from error
    except CaptionError as error:
        raise EditRefused(str(error)) from error
