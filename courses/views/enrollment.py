"""Enrolling and unenrolling, access codes, and an enrollment's completion checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..models import EnrollmentStatus, LiveEventPage
from ..selectors.completion import completion_checks
from ..services import enrollment as enrollment_services
from .lookup import enrollment_or_403, presented_training, published_training, return_url


@login_required
@require_POST
def change_enrollment(request, training_id):
    # Enrolling on a Spanish page enrolls in THE training, and returns to the Spanish page.
    training, served = presented_training(training_id)
    action = request.POST.get("action")
    try:
        if action == "enroll":
            enrollment = enrollment_services.enroll(learner=request.user, training=training)
            if enrollment.status == EnrollmentStatus.WAITLISTED:
                messages.info(request, gettext("The event is full: you are on the waitlist."))
            elif isinstance(training, LiveEventPage):
                messages.success(
                    request,
                    gettext("You are registered for “%(title)s”.") % {"title": served.title},
                )
            else:
                messages.success(
                    request, gettext("You are enrolled in “%(title)s”.") % {"title": served.title}
                )
        elif action == "unenroll":
            if enrollment_services.unenroll(learner=request.user, training=training):
                messages.success(request, gettext("Your enrollment is cancelled."))
        else:
            messages.error(request, gettext("Choose to enroll or to cancel your enrollment."))
    except enrollment_services.EnrollmentError as error:
        messages.error(request, str(error))
    return redirect(return_url(served))


@login_required
def redeem_code(request):
    error = ""
    if request.method == "POST":
        try:
            enrollment = enrollment_services.enroll_with_code(
                learner=request.user, code=request.POST.get("code", "")
            )
        except enrollment_services.EnrollmentError as problem:
            error = str(problem)
        else:
            # The training in the learner's language (its live translation, if any).
            shown = enrollment.training.specific.localized
            messages.success(
                request, gettext("You are enrolled in “%(title)s”.") % {"title": shown.title}
            )
            return redirect(return_url(shown))
    return render(request, "courses/learning/access_code.html", {"error": error})


@login_required
def enrollment_status(request, training_id):
    """The completion checklist of one enrollment, e.g. after the last step."""
    training = published_training(training_id)
    enrollment = enrollment_or_403(
        request, training, statuses=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    )
    return JsonResponse(
        {
            "status": enrollment.status,
            "checks": [
                {"key": c.key, "label": c.label, "met": c.met}
                for c in completion_checks(enrollment=enrollment)
            ],
        }
    )
