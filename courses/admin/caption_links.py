"""Links and words of the caption gate that the page editor's forms and panels show. It
imports none of the page models (they build the panels and forms that use it)."""

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail.admin import messages

from ..selectors.captions import CaptionGap, GapKind


def captions_url(recording, caption=None) -> str:
    """Where the recording's captions are reviewed and edited (the caption editor, for a
    track to review) or uploaded (the recording's page)."""
    viewset = recording.snippet_viewset
    if caption is not None:
        try:
            return reverse(viewset.get_url_name("caption_editor"), args=(recording.pk, caption.pk))
        except NoReverseMatch:
            pass
    return reverse(viewset.get_url_name("inspect"), args=(recording.pk,))


def exceptions_url(training) -> str:
    return reverse("courses_captions:exceptions", args=(training.pk,))


def gap_html(gap: CaptionGap, training) -> str:
    """The gate's message for one recording, with links to what to do."""
    title = gap.recording.title
    where = captions_url(gap.recording, gap.caption)
    if training is not None and training.pk:
        exception = format_html(
            '<a href="{}">{}</a>', exceptions_url(training), gettext("record an exception")
        )
    else:
        exception = gettext("save a draft, then record an exception")
    if gap.kind == GapKind.AUTOMATIC:
        text = gettext(
            "“{title}” has only automatic captions: review them in the "
            '<a href="{where}">caption editor</a>, or {exception}.'
        )
    elif gap.kind == GapKind.PROCESSING:
        text = gettext(
            "“{title}” is still being processed and captioned: review its captions in the "
            '<a href="{where}">caption editor</a> when they are ready, upload a caption '
            "file, or {exception}."
        )
    else:
        text = gettext(
            '“{title}” has no captions: <a href="{where}">upload a caption file</a>, or '
            "{exception}."
        )
    return format_html(text, title=title, where=where, exception=exception)


def may_grant(user, training) -> bool:
    """Those who may publish the training (its association's reviewers and admins)."""
    return training.permissions_for_user(user).can_publish()


def gap_buttons(gaps, training) -> list:
    """Wagtail message buttons: each recording's captions, and the exception screen."""
    buttons = [
        messages.button(
            captions_url(gap.recording, gap.caption),
            gettext("Captions of “%(title)s”") % {"title": gap.recording.title},
        )
        for gap in gaps
    ]
    if training is not None and training.pk:
        buttons.append(messages.button(exceptions_url(training), gettext("Record an exception")))
    return buttons


def caption_gate_message(request, form) -> None:
    """After a refused publish: what to do, as links (``form.caption_gaps``, set by the
    page forms' caption check)."""
    gaps = getattr(form, "caption_gaps", None)
    if not gaps:
        return
    messages.error(
        request,
        gettext(
            "Publishing needs captions a person has checked: review or upload them, or record "
            "an exception with its reason."
        ),
        buttons=gap_buttons(gaps, form.caption_training),
    )
