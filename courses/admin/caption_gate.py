"""The caption gate in the admin (registered in ``wagtail_hooks``): what the page editor says
when a training's recordings lack person-checked captions (the panel listing them is
``panels.CaptionGatePanel``), and the screen where a reviewer records or revokes an exception.

The screen takes the training's id in the URL and recordings and exceptions in the POST: it
acts only on the training's own recordings and exceptions, for people who may publish it.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from ..models import TrainingPage
from ..selectors.captions import exception_history, training_caption_gaps
from ..services.caption_exceptions import (
    REASON_MAX,
    CaptionExceptionError,
    grant_caption_exception,
    revoke_caption_exception,
)
from .caption_links import captions_url, exceptions_url, gap_html, may_grant


class GrantForm(forms.Form):
    recordings = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Publish without reviewed captions for"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick each recording the exception is for.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy(
            "Required, kept in the audit log, e.g. “captions being corrected by our vendor; "
            "live CART provided”."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        # Covered ones stay valid choices: the second of two posts records nothing more.
        self.fields["recordings"].choices = [
            (
                gap.recording.pk,
                f"{gap.recording.title} ({gap.state_label()})"
                if not gap.covered
                else gettext("%(title)s (exception already recorded)")
                % {"title": gap.recording.title},
            )
            for gap in gaps
        ]


def _training(request, page_id) -> TrainingPage:
    training = get_object_or_404(TrainingPage, pk=page_id).specific
    if not may_grant(request.user, training):
        raise PermissionDenied
    return training


@require_http_methods(["GET", "POST"])
def exceptions(request, page_id):
    training = _training(request, page_id)
    gaps = training_caption_gaps(training=training)
    form = GrantForm(request.POST if request.method == "POST" else None, gaps=gaps)
    if request.method == "POST" and form.is_valid():
        granted = []
        try:
            for recording_id in form.cleaned_data["recordings"]:
                granted.append(
                    grant_caption_exception(
                        training=training,
                        recording_id=recording_id,
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                )
        except CaptionExceptionError as error:
            form.add_error("reason" if not granted else None, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "Exception recorded: “%(training)s” may be published without reviewed "
                    "captions for %(recordings)s."
                )
                % {
                    "training": training.title,
                    "recordings": ", ".join(f"“{e.recording.title}”" for e in granted),
                },
                buttons=[
                    messages.button(
                        reverse("wagtailadmin_pages:edit", args=(training.pk,)),
                        gettext("Back to the training"),
                    )
                ],
            )
            return redirect(exceptions_url(training))
    for gap in gaps:
        gap.captions_url = captions_url(gap.recording, gap.caption)
    return TemplateResponse(
        request,
        "courses/admin/caption_exceptions.html",
        {
            "training": training,
            "gaps": gaps,
            "form": form,
            "history": exception_history(training=training),
            "edit_url": reverse("wagtailadmin_pages:edit", args=(training.pk,)),
            "open_gaps": any(not gap.covered for gap in gaps),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def revoke(request, page_id):
    training = _training(request, page_id)
    try:
        exception_id = int(request.POST.get("exception", ""))
    except ValueError:
        exception_id = 0
    try:
        exception = revoke_caption_exception(
            training=training, exception_id=exception_id, by=request.user
        )
    except CaptionExceptionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext(
                "Exception revoked for “%(recording)s”. If “%(training)s” is published it stays "
                "so; publishing it again needs reviewed captions or a new exception."
            )
            % {"recording": exception.recording.title, "training": training.title},
        )
    return redirect(exceptions_url(training))


def admin_urls():
    urls = [
        path("<id:page_id>/", exceptions, name="exceptions"),
        path("<id:page_id>/revoke/", revoke, name="revoke"),
    ]
    return [path("caption-exceptions/", include((urls, "courses_captions")))]


def warn_about_caption_gaps(request, page):
    """``before_edit_page``: a training whose recordings lack reviewed captions says so
    before anyone tries to publish, with the links to act."""
    from ..selectors.captions import page_caption_gaps, training_of

    if request.method != "GET" or not hasattr(page, "specific"):
        return
    training = page if isinstance(page, TrainingPage) else training_of(page)
    if training is None:
        return
    if isinstance(page, TrainingPage):
        gaps = training_caption_gaps(training=training)
    else:
        gaps = page_caption_gaps(page=page.get_latest_revision_as_object())
    open_gaps = [gap for gap in gaps if not gap.covered]
    if open_gaps:
        messages.warning(
            request,
            format_html(
                "{} {}",
                gettext("Publishing needs captions a person has checked."),
                format_html(
                    " ".join(["{}"] * len(open_gaps)),
                    *(gap_html(gap, training) for gap in open_gaps),
                ),
            ),
        )
