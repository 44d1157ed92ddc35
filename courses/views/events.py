"""A live event's own screens: registering or cancelling (posted from the event page)
and its calendar file."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..calendar import event_ics
from ..models import EnrollmentStatus, LiveEventPage
from ..selectors.events import can_see_location
from ..selectors.learning import enrollment_for
from ..services.registration import RegistrationError, cancel_registration, register_for_event


@require_POST
def change_registration(request, event_id):
    """Register for or cancel a seat at a live event (the event page's buttons)."""
    event = get_object_or_404(LiveEventPage.objects.live(), pk=event_id)
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    action = request.POST.get("action")
    if action == "register":
        try:
            enrollment = register_for_event(learner=request.user, event=event)
        except RegistrationError as error:
            messages.error(request, str(error))
        else:
            if enrollment.status == "waitlisted":
                messages.info(request, gettext("The event is full: you are on the waitlist."))
            else:
                messages.success(request, gettext("You are registered. The details are below."))
    elif action == "cancel":
        if cancel_registration(learner=request.user, event=event):
            messages.success(request, gettext("Your registration is cancelled."))
    else:
        messages.error(request, gettext("Choose to register or to cancel your registration."))
    return redirect(event.url)


def event_calendar(request, event_id):
    event = get_object_or_404(LiveEventPage.objects.live(), pk=event_id)
    if event.starts_at is None:
        raise Http404(gettext("This event has no date yet."))
    enrollment = enrollment_for(learner=request.user, training=event)
    registered = enrollment is not None and enrollment.status in (
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.COMPLETED,
    )
    location = event.venue_summary
    if can_see_location(user=request.user, event=event, registered=registered):
        location = event.meeting_url or event.location.replace("\n", ", ") or location
    body = event_ics(
        event=event,
        url=event.full_url or request.build_absolute_uri(event.url or "/"),
        host=request.get_host().split(":")[0],
        location=location,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
