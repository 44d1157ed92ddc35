"""Playback views: the sources of a recording for an authorized viewer, and signed files.

None needs a login of its own: ``recording_sources`` asks the playback authorizer about
the signed-in (or anonymous) viewer, and ``playback_file`` serves only what a signed URL
issued to that same viewer names, until it expires; ``transcript`` serves a caption track
as text to whoever may watch the recording.
"""

import re
import time

from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .delivery import PlaybackRefused, Signer, content_type, grant_for, may_watch, sources
from .ffmpeg import rewrite_playlist
from .models import Recording
from .storage import pipeline_storage
from .transcripts import caption_for, transcript_text

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def _private(response, seconds: int = 0):
    response["Cache-Control"] = f"private, max-age={seconds}" if seconds else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def recording_sources(request, key):
    """Fresh signed URLs for a viewer the authorizer lets watch (the player's first call,
    and again when a paused player's URLs have expired)."""
    recording = get_object_or_404(Recording, key=key)
    if not may_watch(user=request.user, recording=recording, request=request):
        raise PermissionDenied(_("You may not watch this recording."))
    if not recording.is_playable:
        return _private(
            JsonResponse({"error": _("The recording is still being processed.")}, status=409)
        )
    return _private(JsonResponse(sources(recording=recording, user=request.user)))


@require_GET
def transcript(request, key, language):
    """A caption track as plain text with timestamps (the transcript's download), for the
    viewers the authorizer lets watch the recording."""
    recording = get_object_or_404(Recording, key=key)
    if not may_watch(user=request.user, recording=recording, request=request):
        raise PermissionDenied(_("You may not watch this recording."))
    caption = caption_for(recording=recording, language=language)
    if caption is None:
        raise Http404(_("This recording has no captions in that language."))
    response = HttpResponse(
        transcript_text(caption=caption), content_type="text/plain; charset=utf-8"
    )
    name = f"{slugify(recording.title) or 'recording'}-transcript-{caption.language}.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


def _ranged(request, name: str, size: int, kind: str):
    """The file, or the byte range asked for (players seek in the MP4 fallback with Range)."""
    handle = pipeline_storage().open(name, "rb")
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if not match or not any(match.groups()):
        response = FileResponse(handle, content_type=kind)
        response["Content-Length"] = str(size)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:
        start, end = max(0, size - int(last)), size - 1
    if start > end or start >= size:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle.seek(start)

    def body(remaining=end - start + 1):
        try:
            while remaining > 0:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                yield chunk
        finally:
            handle.close()

    response = StreamingHttpResponse(body(), status=206, content_type=kind)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


@require_GET
def playback_file(request, token, filename):
    """One file of a recording, for the viewer the signed URL was issued to. Playlists are
    rewritten so each of their entries is a signed URL expiring with this one."""
    try:
        grant = grant_for(token, user=request.user, filename=filename)
    except PlaybackRefused as refused:
        raise PermissionDenied(str(refused)) from None
    recording = Recording.objects.filter(pk=grant.recording_id).first()
    if recording is None or not grant.name.startswith(f"{recording.storage_prefix}/"):
        raise Http404("No such recording.")
    storage = pipeline_storage()
    if not storage.exists(grant.name):
        raise Http404("No such file.")
    kind = content_type(grant.name)
    seconds = max(0, min(3600, grant.expires_at - int(time.time())))
    if grant.name.endswith(".m3u8"):
        with storage.open(grant.name, "rb") as handle:
            text = handle.read().decode()
        signer = Signer.for_grant(recording, grant)
        try:
            body = rewrite_playlist(text, lambda uri: signer.resolve(grant.name, uri))
        except PlaybackRefused as refused:
            raise Http404(str(refused)) from None
        return _private(HttpResponse(body, content_type=kind))
    return _private(_ranged(request, grant.name, storage.size(grant.name), kind), seconds)
