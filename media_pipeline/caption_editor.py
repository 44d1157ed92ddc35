"""The caption editor in the recordings admin: a track's cues beside the video, saved as a
new version (JSON in, JSON out), a version restored, a track downloaded, automatic captions
requested. Thin: the checks and writes are :mod:`.services.caption_editing`'s, the reads
:mod:`.selectors`'. Every view checks the recording against the permission policy, as the
other caption views do.
"""

import json
import re

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors
from .admin_views import LANGUAGE_TAG, recording_for, url_name
from .captions import MAX_BYTES
from .delivery import may_watch, sources
from .services import caption_editing
from .services.auto_captions import request_captions as ask_for_captions
from .services.caption_editing import EditRefused, StaleEdit
from .services.recordings import ActionRefused
from .tasks import queue_captions_on_commit

# Two lines of 42 characters: the common advice for captions that are read in time.
LINE_CHARACTERS = 42
LINES = 2


def _caption(recording, caption_id):
    return get_object_or_404(recording.captions.select_related("reviewed_by"), pk=caption_id)


def _editor_url(recording, caption) -> str:
    return reverse(url_name("caption_editor"), args=[recording.pk, caption.pk])


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class CaptionEditorView(WagtailAdminTemplateMixin, TemplateView):
    """One track's cues beside the video; with ``?language=&label=``, a new language track
    starting from this one's timing."""

    template_name = "media_pipeline/admin/caption_editor.html"
    header_icon = "media"
    page_title = gettext_lazy("Caption editor")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recording = recording_for(request, kwargs["pk"], "change")
        self.caption = _caption(self.recording, kwargs["caption_id"])
        self.new_language = self.new_label = ""
        self.new_track_error = ""
        language = request.GET.get("language", "").strip()
        if language or "label" in request.GET:
            label = request.GET.get("label", "").strip()[:64]
            if not re.match(LANGUAGE_TAG, language) or len(language) > 16:
                self.new_track_error = _("Use a language tag such as es, fr or pt-BR.")
            elif self.recording.captions.filter(language=language).exists():
                self.new_track_error = _(
                    "This recording already has a track in %(language)s: edit that one."
                ) % {"language": language}
            elif not label:
                self.new_track_error = _("Give the new track a label, e.g. Español.")
            else:
                self.new_language, self.new_label = language, label

    def get_page_subtitle(self):
        if self.new_language:
            return _("New track: %(label)s (%(language)s)") % {
                "label": self.new_label,
                "language": self.new_language,
            }
        return f"{self.recording} — {self.caption.label}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name("list")), "label": _("Recordings")},
            {
                "url": reverse(url_name("inspect"), args=[self.recording.pk]),
                "label": str(self.recording),
            },
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        track = selectors.editor_track(caption=self.caption)
        recording, caption = self.recording, self.caption
        can_watch = recording.is_playable and may_watch(
            user=self.request.user, recording=recording, request=self.request
        )
        context.update(
            recording=recording,
            caption=caption,
            new_language=self.new_language,
            new_label=self.new_label,
            new_track_error=self.new_track_error,
            versions=selectors.caption_versions(caption=caption)[:100],
            can_watch=can_watch,
            video=sources(recording=recording, user=self.request.user) if can_watch else None,
            strings=_strings(),
            detail_url=reverse(url_name("inspect"), args=[recording.pk]) + "#captions",
            editor={
                "cues": track.cues,
                "version": track.version,
                "newLanguage": self.new_language,
                "newLabel": self.new_label,
                "saveUrl": reverse(url_name("save_captions"), args=[recording.pk, caption.pk]),
                "lineCharacters": LINE_CHARACTERS,
                "lines": LINES,
                "sourcesUrl": reverse("media_pipeline:sources", args=[recording.key]),
            },
        )
        return context


def _strings() -> dict:
    """What the editor's script says, translated here (placeholders: {n}, {time})."""
    return {
        "cue": _("Cue {n}"),
        "play": _("Cue {n} at {time}: play from here"),
        "start": _("Start (s)"),
        "end": _("End (s)"),
        "text": _("Words of cue {n}"),
        "endBeforeStart": _("The end must be after the start."),
        "empty": _("This cue has no words: write them or delete the cue."),
        "tooLong": _(
            "Longer than {lines} lines of {chars} characters: viewers may not finish reading "
            "it. Consider splitting it."
        ),
        "fixFirst": _("Not saved: fix the cues marked as problems first (cue {n})."),
        "noNext": _("There is no next cue to merge with."),
        "noSplit": _("Put the cursor inside the words where the cue should split."),
        "lastCue": _("A track needs at least one cue."),
        "split": _("Split cue {n} in two."),
        "merged": _("Merged cue {n} with the next one."),
        "shifted": _("Cue {n} now starts at {time}."),
        "shiftedFollowing": _("Cue {n} and the cues after it moved; it now starts at {time}."),
        "added": _("Added cue {n}."),
        "deleted": _("Deleted cue {n}."),
        "undone": _("Undid the last change."),
        "nothingToUndo": _("Nothing to undo."),
        "saving": _("Saving…"),
        "offline": _("Not saved: the connection failed. Your changes are still here; try again."),
        "unsaved": _("You have changes that are not saved."),
        "playing": _("Playing cue {n}"),
    }


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def save_captions(request, pk, caption_id):
    """The editor's cues as a new version (or, with ``language``, a new track). JSON:
    ``{"version": n, "cues": [...], "reviewed": bool, "language"?, "label"?}``."""
    recording = recording_for(request, pk, "change")
    caption = _caption(recording, caption_id)
    if len(request.body) > MAX_BYTES * 2:
        return _refused(_("The captions are too long to save at once."), status=413)
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return _refused(_("The editor sent something that is not JSON; reload it."))
    if not isinstance(data, dict):
        return _refused(_("The editor sent something that is not JSON; reload it."))
    reviewed = data.get("reviewed") is True
    try:
        if data.get("language"):
            language = str(data["language"]).strip()
            label = str(data.get("label") or "").strip()[:64]
            if not re.match(LANGUAGE_TAG, language) or len(language) > 16:
                return _refused(_("Use a language tag such as es, fr or pt-BR."))
            if not label:
                return _refused(_("Give the new track a label, e.g. Español."))
            saved = caption_editing.start_track(
                recording=recording,
                source=caption,
                language=language,
                label=label,
                cues=data.get("cues"),
                reviewed=reviewed,
                by=request.user,
            )
            added = True
        else:
            based_on = data.get("version")
            if isinstance(based_on, bool) or not isinstance(based_on, int):
                return _refused(_("The editor did not say which version it started from."))
            saved, added = caption_editing.save_edited_captions(
                caption=caption,
                based_on=based_on,
                cues=data.get("cues"),
                reviewed=reviewed,
                by=request.user,
            )
    except StaleEdit as stale:
        return _refused(str(stale), status=409)
    except EditRefused as refused:
        return _refused(str(refused))
    latest = saved.versions.order_by("-number").first()
    if saved.pk != caption.pk:
        messages.success(request, _("Saved the new %(label)s track.") % {"label": saved.label})
    return JsonResponse(
        {
            "version": latest.number,
            "added": added,
            "state": saved.state,
            "state_label": saved.get_state_display(),
            "message": _("Saved version %(number)s (%(state)s) at %(when)s.")
            % {
                "number": latest.number,
                "state": saved.get_state_display().lower(),
                "when": _when(latest.created_at),
            },
            "url": _editor_url(recording, saved),
            "when": formats.date_format(
                timezone.localtime(latest.created_at), "SHORT_DATETIME_FORMAT"
            ),
            "by": request.user.get_full_name() or request.user.email,
            "cue_count": latest.cue_count,
            "note": latest.note,
        },
        status=201 if added else 200,
    )


@require_POST
def restore_caption(request, pk, caption_id):
    recording = recording_for(request, pk, "change")
    caption = _caption(recording, caption_id)
    try:
        number = int(request.POST.get("version", ""))
    except ValueError:
        number = 0
    try:
        caption_editing.restore_version(caption=caption, number=number, by=request.user)
    except EditRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Restored version %(number)s as the newest.") % {"number": number}
        )
    return HttpResponseRedirect(_editor_url(recording, caption))


@require_GET
def download_caption(request, pk, caption_id):
    recording = recording_for(request, pk, "view")
    caption = _caption(recording, caption_id)
    latest = caption.versions.order_by("-number").only("webvtt").first()
    if latest is None:
        try:
            with caption.file.open("rb") as handle:
                body = handle.read()
        except FileNotFoundError as error:
            raise Http404 from error
    else:
        body = latest.webvtt.encode()
    response = HttpResponse(body, content_type="text/vtt; charset=utf-8")
    name = f"recording-{recording.pk}-{caption.language}.vtt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def request_captions(request, pk):
    """Queue automatic captions in a language (the worker makes them after the ladder)."""
    recording = recording_for(request, pk, "change")
    back = HttpResponseRedirect(reverse(url_name("inspect"), args=[recording.pk]) + "#captions")
    language = request.POST.get("language", "en").strip() or "en"
    if not re.match(LANGUAGE_TAG, language) or len(language) > 16:
        messages.error(request, _("Use a language tag such as en, es or pt-BR."))
        return back
    try:
        job = ask_for_captions(recording=recording, language=language)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return back
    queue_captions_on_commit(job.pk)
    messages.success(
        request,
        _("Automatic captions were requested; they appear here when the worker is done."),
    )
    return back
