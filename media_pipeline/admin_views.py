"""The recordings admin: upload page and its JSON endpoints, detail page with live progress,
retry, captions and delete. Thin: every write is a service call, and the work a service
leaves waiting is queued here through ``tasks`` once committed.

Every view checks the object, not just the model: recordings through the registered
permission policy (``MEDIA_PIPELINE_PERMISSION_POLICY``), upload sessions by their owner
and the person who started them.
"""

import json
import logging

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import DeleteView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry

from . import selectors, uploads
from .captions import CaptionError
from .conf import upload_config
from .delivery import may_watch
from .models import Recording, UploadSession
from .services import captioning
from .services.recordings import FINISHED, ActionRefused, delete_recording, retry_recording
from .tasks import queue, queue_on_commit

logger = logging.getLogger(__name__)
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def policy():
    return policy_registry.get_by_type(Recording)


def owners_for(user):
    """Organizations the user may upload recordings for (the policy decides)."""
    owners = getattr(policy(), "owners_for", None)
    if owners is not None:
        return owners(user)
    from django.apps import apps
    from django.conf import settings

    model = apps.get_model(settings.MEDIA_PIPELINE_OWNER_MODEL)
    return model.objects.all() if user.is_superuser else model.objects.none()


def recording_for(request, pk, action: str = "view") -> Recording:
    recording = get_object_or_404(Recording.objects.select_related("owner"), pk=pk)
    if not policy().user_has_permission_for_instance(request.user, action, recording):
        raise PermissionDenied
    return recording


def upload_for(request, key) -> UploadSession:
    """Only the person who started an upload continues it, while they may still add
    recordings for its owner."""
    session = get_object_or_404(UploadSession, key=key, created_by=request.user)
    # The policy reads the owner from ``owner``, which an upload session has too.
    if not policy().user_has_permission_for_instance(request.user, "add", session):
        raise PermissionDenied
    return session


def url_name(action: str) -> str:
    return f"wagtailsnippets_media_pipeline_recording:{action}"


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _json_body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # RecursionError: brackets nested too deep
        return {}
    return data if isinstance(data, dict) else {}


# -- Pages -----------------------------------------------------------------------------------


class UploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload a new recording, or (``replace``) a new source for one."""

    permission_required = "add"
    permission_policy = None
    index_url_name = None
    header_icon = "upload"
    page_title = gettext_lazy("Upload a recording")
    model = Recording

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.replaces = None
        if kwargs.get("pk") is not None:
            self.replaces = recording_for(request, kwargs["pk"], "change")
        elif not owners_for(request.user).exists():
            # Someone in the admin who may upload for no organization (a reviewer, say).
            raise PermissionDenied

    def get_template_names(self):
        # The viewset passes the snippet create template; this page is the uploader.
        return ["media_pipeline/admin/upload.html"]

    def get_page_title(self):
        if self.replaces:
            return _("Replace the file of “%(title)s”") % {"title": self.replaces}
        return self.page_title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Recordings")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cfg = upload_config()
        owners = [] if self.replaces else list(owners_for(self.request.user))
        context.update(
            replaces=self.replaces,
            owners=owners,
            max_bytes=cfg.max_bytes,
            unfinished=selectors.unfinished_uploads(user=self.request.user, replaces=self.replaces),
            endpoints={
                "start": reverse(url_name("upload_start")),
                "session": reverse(
                    url_name("upload_session"), args=["00000000-0000-0000-0000-000000000000"]
                ),
                "recording": reverse(url_name("inspect"), args=[0]),
            },
        )
        return context


class RecordingDetailView(InspectView):
    """Status with live progress, the error, retry, replace, captions, usage and a preview."""

    template_name = "media_pipeline/admin/detail.html"
    page_title = gettext_lazy("Recording")
    usage_url_name = None

    def get_object(self, queryset=None):
        return recording_for(self.request, self.pk, "view")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.object
        context.update(
            recording=recording,
            captions=selectors.captions_for(recording=recording),
            caption_jobs=selectors.caption_jobs_for(recording=recording),
            caption_form=CaptionForm(),
            usage=ReferenceIndex.get_grouped_references_to(recording),
            usage_url=reverse(self.usage_url_name, args=[quote(recording.pk)]),
            can_change=policy().user_has_permission_for_instance(
                self.request.user, "change", recording
            ),
            can_delete=policy().user_has_permission_for_instance(
                self.request.user, "delete", recording
            ),
            can_watch=may_watch(user=self.request.user, recording=recording, request=self.request),
            finished=recording.status in FINISHED,
            progress_url=reverse(url_name("progress"), args=[recording.pk]),
            attempts=recording.transcode_attempts.order_by("-number")[:50],
        )
        return context


class RecordingDeleteView(DeleteView):
    """Deleting goes through the service, which removes every stored file."""

    def run_before_hook(self):
        # The hook every snippet's delete runs, so that the apps using recordings may refuse
        # (a recording whose viewers' watch evidence depends on it).
        return self.run_hook("before_delete_snippet", self.request, [self.object])

    def delete_action(self):
        delete_recording(recording_id=self.object.pk)


class CaptionForm(forms.Form):
    language = forms.RegexField(
        regex=LANGUAGE_TAG,
        max_length=16,
        initial="en",
        label=gettext_lazy("Language"),
        help_text=gettext_lazy("A language tag: en, es, fr, vi, so, zh-Hant…"),
        error_messages={"invalid": gettext_lazy("Use a language tag such as en, es or pt-BR.")},
    )
    # The initial label is the English name of the initial language (en), as viewers see it.
    label = forms.CharField(
        max_length=64,
        initial="English",
        label=gettext_lazy("Label"),
        help_text=gettext_lazy("What viewers pick."),
    )
    file = forms.FileField(
        label=gettext_lazy("Caption file"),
        help_text=gettext_lazy("A WebVTT (.vtt) or SubRip (.srt) file."),
    )


# -- Small endpoints -------------------------------------------------------------------------


@require_GET
def recording_progress(request, pk):
    recording = recording_for(request, pk)
    return JsonResponse(
        {
            "status": recording.status,
            "status_label": recording.get_status_display(),
            "progress": recording.progress,
            "error": recording.error,
            "playable": recording.is_playable,
            "finished": recording.status in FINISHED,
            "duration": recording.duration,
        }
    )


@require_POST
def retry(request, pk):
    recording = recording_for(request, pk, "change")
    try:
        step = retry_recording(recording_id=recording.pk)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        queue_on_commit(step)
        messages.success(request, _("“%(title)s” will be processed again.") % {"title": recording})
    return HttpResponseRedirect(reverse(url_name("inspect"), args=[recording.pk]))


@require_POST
def add_caption(request, pk):
    recording = recording_for(request, pk, "change")
    form = CaptionForm(request.POST, request.FILES)
    back = HttpResponseRedirect(reverse(url_name("inspect"), args=[recording.pk]) + "#captions")
    if not form.is_valid():
        for field, errors in form.errors.items():
            name = form.fields[field].label if field in form.fields else field.capitalize()
            messages.error(
                request,
                _("%(field)s: %(errors)s") % {"field": name, "errors": " ".join(errors)},
            )
        return back
    try:
        caption = captioning.add_caption(
            recording=recording,
            language=form.cleaned_data["language"],
            label=form.cleaned_data["label"],
            data=form.cleaned_data["file"].read(),
            by=request.user,
        )
    except CaptionError as error:
        messages.error(request, _("The captions were not added. %(error)s") % {"error": error})
        return back
    messages.success(
        request,
        ngettext(
            "Added %(label)s captions (%(count)d cues).",
            "Added %(label)s captions (%(count)d cues).",
            caption.cue_count,
        )
        % {"label": caption.label, "count": caption.cue_count},
    )
    return back


@require_POST
def delete_caption(request, pk, caption_id):
    recording = recording_for(request, pk, "change")
    caption = get_object_or_404(recording.captions, pk=caption_id)
    captioning.delete_caption(caption=caption)
    messages.success(request, _("Removed the %(label)s captions.") % {"label": caption.label})
    return HttpResponseRedirect(reverse(url_name("inspect"), args=[recording.pk]) + "#captions")


# -- Upload API (JSON; CSRF-protected like every admin POST) ---------------------------------


@require_POST
def upload_start(request):
    data = _json_body(request)
    replaces = None
    if data.get("replaces"):
        replaces = recording_for(request, data["replaces"], "change")
        owner = replaces.owner
    else:
        owner = owners_for(request.user).filter(pk=data.get("owner") or 0).first()
        if owner is None:
            return _refused(_("Choose the organization the recording belongs to."))
    try:
        size = int(data.get("size") or 0)
        last_modified = int(data.get("last_modified") or 0)
    except (TypeError, ValueError):
        return _refused(_("The file's size is not a number."))
    try:
        state = uploads.start_upload(
            owner=owner,
            user=request.user,
            title=str(data.get("title") or ""),
            filename=str(data.get("filename") or "")[:255],
            size=size,
            last_modified=last_modified,
            replaces=replaces,
        )
    except uploads.UploadRefused as refused:
        return _refused(str(refused))
    return JsonResponse(state.as_json(), status=201)


@require_GET
def upload_session(request, key):
    session = upload_for(request, key)
    return JsonResponse(uploads.upload_state(session=session).as_json())


def upload_part(request, key, number):
    """PUT one part's bytes (embedded path); the SHA-256 comes in ``X-Part-SHA256``."""
    if request.method != "PUT":
        return _refused(_("Send parts with PUT."), status=405)
    session = upload_for(request, key)
    try:
        length = int(request.headers.get("Content-Length") or -1)
        uploads.receive_part(
            session=session,
            number=number,
            stream=request,
            length=length,
            sha256=request.headers.get("X-Part-SHA256", "").lower(),
        )
    except uploads.UploadRefused as refused:
        return _refused(str(refused))
    return JsonResponse({"part": number, "stored": True})


@require_POST
def upload_sign(request, key):
    session = upload_for(request, key)
    numbers = _json_body(request).get("parts") or []
    if not isinstance(numbers, list) or not all(isinstance(n, int) for n in numbers):
        return _refused(_("Name the parts to sign by number."))
    try:
        urls = uploads.presign_parts(session=session, numbers=numbers[:100])
    except uploads.UploadRefused as refused:
        return _refused(str(refused))
    return JsonResponse({"urls": {str(number): url for number, url in urls.items()}})


@require_POST
def upload_part_stored(request, key, number):
    """The browser stored a part in the bucket and reports its ETag."""
    session = upload_for(request, key)
    try:
        uploads.record_s3_part(session=session, number=number, etag=_json_body(request).get("etag"))
    except uploads.UploadRefused as refused:
        return _refused(str(refused))
    return JsonResponse({"part": number, "stored": True})


@require_POST
def upload_complete(request, key):
    session = upload_for(request, key)
    checks = []
    try:
        with transaction.atomic():
            # Registered ahead of what the services register on commit, so the new file's
            # check is queued even if removing the file it replaces then fails.
            transaction.on_commit(lambda: [queue(step) for step in checks])
            completed = uploads.complete_upload(session_id=session.pk)
            if completed.to_queue is not None:
                checks.append(completed.to_queue)
    except uploads.UploadRefused as refused:
        return _refused(str(refused), status=409)
    recording = completed.recording
    return JsonResponse(
        {
            "recording_id": recording.pk,
            "status": recording.status,
            "url": reverse(url_name("inspect"), args=[recording.pk]),
        }
    )


@require_POST
def upload_cancel(request, key):
    session = upload_for(request, key)
    try:
        with transaction.atomic():
            uploads.cancel_upload(session_id=session.pk)
    except uploads.UploadRefused as refused:
        return _refused(str(refused), status=409)
    return JsonResponse({"status": "canceled"})
