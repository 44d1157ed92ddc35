"""Recordings in Wagtail's admin, in its own look: a list with status, progress, duration,
thumbnail, captions and filters; an upload page; a detail page with live progress.
``wagtail_hooks`` registers the viewset and the permission policy.

What is allowed comes from settings, so this app imports nothing from Attune's other apps:
``MEDIA_PIPELINE_PERMISSION_POLICY`` names the permission policy class (constructed with the
model; it may offer ``owners_for(user)``, the owners a user may upload for), and
``MEDIA_PIPELINE_ADMIN_VIEWSET_BASE`` the snippet viewset class to build on (one that checks
every per-object URL against the policy).
"""

import django_filters
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView

from . import admin_views, caption_editor, selectors
from .conf import hook
from .delivery import poster_url
from .ffmpeg.validation import format_duration
from .models import Caption, CaptionJob, CaptionState, Recording, RecordingStatus

ViewSetBase = hook("ADMIN_VIEWSET_BASE", "wagtail.snippets.views.snippets.SnippetViewSet")


class CaptionsFilter(django_filters.ChoiceFilter):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[
                ("missing", _("Missing")),
                ("automatic", _("Automatic only (needs review)")),
                ("checked", _("Reviewed or uploaded")),
            ],
            label=_("Captions"),
            method=self.by_captions,
            **kwargs,
        )

    @staticmethod
    def by_captions(queryset, name, value):
        tracks = Caption.objects.filter(recording=OuterRef("pk"))
        checked = Exists(tracks.exclude(state=CaptionState.AUTOMATIC))
        if value == "missing":
            return queryset.filter(~Exists(tracks))
        if value == "automatic":
            return queryset.filter(Exists(tracks), ~checked)
        if value == "checked":
            return queryset.filter(checked)
        return queryset


def _owners(request):
    return admin_views.owners_for(request.user) if request else Recording.objects.none()


class RecordingFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=RecordingStatus.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=_owners, label=_("Organization"))
    captions = CaptionsFilter()

    class Meta:
        model = Recording
        fields = ["status", "owner"]


class ThumbnailColumn(Column):
    cell_template_name = "media_pipeline/admin/thumbnail_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["src"] = poster_url(recording=instance, user=parent_context["request"].user)
        return context


class StatusColumn(Column):
    def get_value(self, instance):
        label = instance.get_status_display()
        if instance.status == RecordingStatus.TRANSCODING:
            return f"{label} ({instance.progress}%)"
        return label


class CaptionsColumn(Column):
    """Each language's state (“English — Automatic (not reviewed)”), automatic captioning
    under way, or “None”."""

    def get_value(self, instance):
        phrases = selectors.caption_summary(recording=instance)
        if phrases:
            return format_html_join(mark_safe("<br>"), "{}", ((p,) for p in phrases))
        return format_html('<span class="w-status w-status--label">{}</span>', _("None"))


class RecordingIndexView(IndexView):
    def get_edit_url(self, instance):
        # The title opens the detail page, where status, captions and usage are.
        return self.get_inspect_url(instance)


class RecordingViewSet(ViewSetBase):
    model = Recording
    icon = "media"
    menu_label = _("Recordings")
    menu_order = 230
    add_to_admin_menu = True
    base_url_path = "recordings"
    index_view_class = RecordingIndexView
    add_view_class = admin_views.UploadView
    inspect_view_enabled = True
    inspect_view_class = admin_views.RecordingDetailView
    delete_view_class = admin_views.RecordingDeleteView
    filterset_class = RecordingFilterSet
    search_fields = ["title", "original_filename"]
    list_per_page = 25
    edit_handler = ObjectList([FieldPanel("title"), FieldPanel("allow_preview")])

    @property
    def list_display(self):
        return [
            "title",
            ThumbnailColumn("poster", label=_("Thumbnail")),
            StatusColumn("status", label=_("Status")),
            Column("duration_label", label=_("Duration"), accessor=self._duration),
            CaptionsColumn("captions", label=_("Captions")),
            Column("owner", label=_("Organization")),
            Column("created_at", label=_("Uploaded")),
        ]

    @staticmethod
    def _duration(instance):
        return format_duration(instance.duration) if instance.duration else "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("owner")
            .prefetch_related(
                Prefetch("captions", queryset=Caption.objects.order_by("label")),
                Prefetch("caption_jobs", queryset=CaptionJob.objects.order_by("language")),
            )
        )

    def chooser_queryset(self, request):
        return (
            super()
            .chooser_queryset(request)
            .exclude(status=RecordingStatus.REJECTED)
            .order_by("-created_at")
        )

    def get_urlpatterns(self):
        # Each of these checks its recording or upload against the policy itself.
        views = admin_views
        replace = self.construct_view(views.UploadView, **self.get_add_view_kwargs())
        extra = [
            path("replace/<int:pk>/", replace, name="replace"),
            path("progress/<int:pk>/", views.recording_progress, name="progress"),
            path("retry/<int:pk>/", views.retry, name="retry"),
            path("captions/<int:pk>/", views.add_caption, name="add_caption"),
            path(
                "captions/<int:pk>/delete/<int:caption_id>/",
                views.delete_caption,
                name="delete_caption",
            ),
            path(
                "captions/<int:pk>/edit/<int:caption_id>/",
                caption_editor.CaptionEditorView.as_view(),
                name="caption_editor",
            ),
            path(
                "captions/<int:pk>/save/<int:caption_id>/",
                caption_editor.save_captions,
                name="save_captions",
            ),
            path(
                "captions/<int:pk>/restore/<int:caption_id>/",
                caption_editor.restore_caption,
                name="restore_caption",
            ),
            path(
                "captions/<int:pk>/download/<int:caption_id>/",
                caption_editor.download_caption,
                name="download_caption",
            ),
            path(
                "captions/<int:pk>/automatic/",
                caption_editor.request_captions,
                name="request_captions",
            ),
            path("uploads/", views.upload_start, name="upload_start"),
            path("uploads/<uuid:key>/", views.upload_session, name="upload_session"),
            path("uploads/<uuid:key>/parts/<int:number>/", views.upload_part, name="upload_part"),
            path(
                "uploads/<uuid:key>/parts/<int:number>/stored/",
                views.upload_part_stored,
                name="upload_part_stored",
            ),
            path("uploads/<uuid:key>/sign/", views.upload_sign, name="upload_sign"),
            path("uploads/<uuid:key>/complete/", views.upload_complete, name="upload_complete"),
            path("uploads/<uuid:key>/cancel/", views.upload_cancel, name="upload_cancel"),
        ]
        return super().get_urlpatterns() + extra
