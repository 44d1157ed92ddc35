"""Private delivery of a recording's files: who may watch, and short-lived signed URLs for
what they may fetch.

``media_pipeline`` never decides who may watch: it asks the callable named by the
``MEDIA_PIPELINE_PLAYBACK_AUTHORIZER`` setting (``courses`` implements it), called as
``authorizer(user=, recording=, request=)`` and returning a bool. How a viewer likes videos
to start (captions on, in which language) comes the same way from
``MEDIA_PIPELINE_VIEWER_PREFERENCES`` (see :func:`viewer_preferences`).

Every URL a viewer gets is signed for one file of one recording, one viewer and an expiry:

- playlists always come through :func:`media_pipeline.views.playback_file`, which rewrites
  every entry (variant playlists, ``EXT-X-MAP`` init files, ``EXT-X-MEDIA`` renditions,
  segments) into a signed URL that expires with the playlist's own;
- other files come through the same view from local storage (Django-signed tokens) or as
  presigned GETs straight from S3; captions always come through the view, so ``<track>``
  needs no cross-origin rules.

A URL lives for ``MEDIA_PIPELINE_PLAYBACK_URL_SECONDS`` (15 minutes) plus the recording's
duration, so a viewer who plays straight through never meets an expired segment; a player
that was paused longer asks :func:`media_pipeline.views.recording_sources` again.
"""

import math
import mimetypes
import posixpath
import time
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .conf import hook, playback_url_seconds
from .models import CaptionState, Recording
from .selectors import captions_for
from .storage import pipeline_storage

# Named after this module's earlier name; changing it would void every URL already issued.
SALT = "media_pipeline.playback"
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}


class PlaybackRefused(Exception):
    """The signed URL is forged, expired, for someone else, or names another file."""


@dataclass(frozen=True)
class Grant:
    recording_id: int
    name: str
    viewer_id: int
    expires_at: int


def staff_only(*, user, recording, request=None) -> bool:
    """The authorizer used when none is configured: superusers only."""
    return bool(getattr(user, "is_superuser", False))


def may_watch(*, user, recording: Recording, request=None) -> bool:
    authorizer = hook("PLAYBACK_AUTHORIZER", "media_pipeline.delivery.staff_only")
    return bool(authorizer(user=user, recording=recording, request=request))


@dataclass(frozen=True)
class ViewerPreferences:
    """How a viewer wants videos to start: captions on or off, and in which language."""

    captions_on: bool = False
    language: str = ""

    @property
    def key(self) -> str:
        """Names the preference, so a player can tell when it changed since the viewer last
        chose otherwise in the player (their browser keeps that choice)."""
        return f"{'on' if self.captions_on else 'off'}:{self.language}"


def no_preferences(*, user, request=None) -> dict:
    """The preferences reader used when none is configured: every viewer gets the defaults."""
    return {}


def viewer_preferences(*, user, request=None) -> ViewerPreferences:
    """The viewer's preferences from the callable named by ``MEDIA_PIPELINE_VIEWER_PREFERENCES``
    (called as ``reader(user=, request=)``, returning ``{"captions": bool, "language": str}``
    or an empty dict); the language defaults to the interface's."""
    reader = hook("VIEWER_PREFERENCES", "media_pipeline.delivery.no_preferences")
    found = reader(user=user, request=request) or {}
    language = found.get("language") or (get_language() or "").split("-")[0]
    return ViewerPreferences(captions_on=bool(found.get("captions")), language=language)


def matching_language(languages: list[str], wanted: str) -> str:
    """The first of ``languages`` that is ``wanted`` (``en-US`` for ``en-us``), else the first
    in the same primary language (``es-MX`` for ``es``), else ""."""
    wanted = (wanted or "").lower()
    if not wanted:
        return ""
    for language in languages:
        if language.lower() == wanted:
            return language
    primary = wanted.split("-")[0]
    for language in languages:
        if language.lower().split("-")[0] == primary:
            return language
    return ""


def starting_languages(languages: list[str], preferences: ViewerPreferences) -> tuple[str, str]:
    """(captions shown when the video starts or "" for off, the transcript's language)."""
    if not languages:
        return "", ""
    chosen = matching_language(languages, preferences.language) or languages[0]
    return (chosen if preferences.captions_on else ""), chosen


def viewer_id(user) -> int:
    return user.pk if getattr(user, "is_authenticated", False) else 0


def content_type(name: str) -> str:
    extension = posixpath.splitext(name)[1].lower()
    return (
        CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )


def read_token(token: str, *, now: float | None = None) -> Grant:
    try:
        recording_id, name, viewer, expires_at = signing.loads(token, salt=SALT)
        grant = Grant(int(recording_id), str(name), int(viewer), int(expires_at))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise PlaybackRefused(_("This link is not valid.")) from error
    if grant.expires_at < (now if now is not None else time.time()):
        raise PlaybackRefused(_("This link has expired; reload the page to keep watching."))
    return grant


def _is_local() -> bool:
    try:
        pipeline_storage().path("probe")
    except NotImplementedError:
        return False
    return True


class Signer:
    """Issues the URLs one viewer may use for one recording, all expiring together."""

    def __init__(self, recording: Recording, user=None, *, expires_at: int | None = None, now=None):
        self.recording = recording
        self.viewer_id = viewer_id(user)
        self.now = int(now if now is not None else time.time())
        if expires_at is None:
            expires_at = self.now + playback_url_seconds() + math.ceil(recording.duration or 0)
        self.expires_at = expires_at
        self.local = _is_local()

    @classmethod
    def for_grant(cls, recording: Recording, grant: Grant) -> "Signer":
        signer = cls(recording, expires_at=grant.expires_at)
        signer.viewer_id = grant.viewer_id
        return signer

    def token(self, name: str) -> str:
        return signing.dumps(
            [self.recording.pk, name, self.viewer_id, self.expires_at], salt=SALT, compress=True
        )

    def signed_view_url(self, name: str) -> str:
        return reverse("media_pipeline:file", args=[self.token(name), posixpath.basename(name)])

    def url(self, name: str) -> str:
        if self.local or name.endswith((".m3u8", ".vtt")):
            return self.signed_view_url(name)
        return pipeline_storage().url(name, expire=max(1, self.expires_at - self.now))

    def resolve(self, playlist_name: str, uri: str) -> str:
        """A playlist entry (relative to the playlist) as a signed URL of the same recording."""
        if "://" in uri or uri.startswith("/"):
            raise PlaybackRefused(f"The playlist refers to {uri} outside the recording.")
        name = posixpath.normpath(posixpath.join(posixpath.dirname(playlist_name), uri))
        if not name.startswith(f"{self.recording.storage_prefix}/"):
            raise PlaybackRefused(f"The playlist refers to {uri} outside the recording.")
        return self.url(name)


def grant_for(token: str, *, user, filename: str, now: float | None = None) -> Grant:
    """Check a signed URL: not forged or expired, issued to this viewer, for this file."""
    grant = read_token(token, now=now)
    if grant.viewer_id != viewer_id(user):
        raise PlaybackRefused(_("This link was issued to someone else."))
    if posixpath.basename(grant.name) != filename:
        raise PlaybackRefused(_("This link is for another file."))
    return grant


def sources(*, recording: Recording, user, now: float | None = None) -> dict:
    """Everything a player needs, as signed URLs: HLS, the MP4 fallback, poster, captions."""
    signer = Signer(recording, user, now=now)
    return {
        "recording": str(recording.key),
        "title": recording.title,
        "duration": recording.duration,
        "hls": signer.url(recording.master_playlist.name) if recording.master_playlist else None,
        "mp4": signer.url(recording.progressive.name) if recording.progressive else None,
        "mp4_type": content_type(recording.progressive.name) if recording.progressive else None,
        "poster": signer.url(recording.poster.name) if recording.poster else None,
        "captions": [
            {
                "language": c.language,
                "label": c.label,
                "src": signer.url(c.file.name),
                "state": c.state,
                "automatic": c.state == CaptionState.AUTOMATIC,
                "transcript": reverse(
                    "media_pipeline:transcript", args=[recording.key, c.language]
                ),
            }
            for c in captions_for(recording=recording)
        ],
        "expires_in": signer.expires_at - signer.now,
    }


def poster_url(*, recording: Recording, user) -> str | None:
    """A signed poster URL for the admin's thumbnails."""
    if not recording.poster:
        return None
    return Signer(recording, user).url(recording.poster.name)
