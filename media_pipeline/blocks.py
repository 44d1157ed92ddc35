"""The StreamField block that places a recording on a page, with its accessible player."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.blocks import SnippetChooserBlock


class RecordingChooserBlock(SnippetChooserBlock):
    """Chooses one of the recordings the editor may use; stores the recording's id.

    Renders the player for viewers the playback authorizer lets watch, and a short notice
    for everyone else (see ``media_pipeline_tags.recording_player``).
    """

    def __init__(self, **kwargs):
        super().__init__("media_pipeline.Recording", **kwargs)

    class Meta:
        icon = "media"
        label = _("Recording")
        template = "media_pipeline/blocks/recording.html"
