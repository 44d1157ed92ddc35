"""References: the applicant names raters, replaces one or sends a new link; a rater answers
through their signed link, which is checked with who opened it.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import RaterForm, ReferenceRatingForm, errors_in_words
from ..selectors.references import ReferenceLinkError, reference_for_token
from ..selectors.requirements import category_areas
from ..services.references import (
    decline_reference,
    name_rater,
    replace_rater,
    resend_reference_link,
    submit_reference,
)
from .applications import back_to_application, change_application, own_application


@own_application
@require_POST
def rater(request, application):
    form = RaterForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The rater was not added: %(errors)s") % {"errors": errors_in_words(form)}
        )
        return back_to_application(application, "references")
    return change_application(
        request,
        application,
        name_rater,
        lambda named: _("We e-mailed %(name)s a link to rate you.") % {"name": named.name},
        "references",
        **form.cleaned_data,
    )


@own_application
@require_POST
def rater_action(request, application, reference_id, action):
    if action == "replace":
        change = replace_rater
        done = _("%(name)s was withdrawn; name another rater.")
    else:
        change, done = resend_reference_link, _("%(name)s got a new link.")
    return change_application(
        request,
        application,
        change,
        lambda reference: done % {"name": reference.name},
        "references",
        reference_id=reference_id,
    )


@require_http_methods(["GET", "POST"])
def reference(request, token):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        found = reference_for_token(token=token, user=request.user)
    except ReferenceLinkError as exc:
        status = 403 if exc.reason == exc.WRONG_USER else 410
        return render(request, "endorsement/reference_error.html", {"error": exc}, status=status)
    areas = category_areas(category=found.application.category)
    form = ReferenceRatingForm(request.POST or None, areas=areas)
    if request.method == "POST":
        try:
            if request.POST.get("decline"):
                done = decline_reference(
                    token=token, user=request.user, comment=request.POST.get("comment", "")
                )
            elif form.is_valid():
                done = submit_reference(
                    token=token,
                    user=request.user,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                )
            else:
                done = None
        except ReferenceLinkError as exc:
            return render(request, "endorsement/reference_error.html", {"error": exc}, status=410)
        except ValidationError as exc:
            form.add_service_errors(exc)
            done = None
        if done is not None:
            return render(request, "endorsement/reference_done.html", {"reference": done})
    return render(
        request,
        "endorsement/reference_form.html",
        {"reference": found, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
