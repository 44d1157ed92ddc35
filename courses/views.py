from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from .services.registration import RegistrationError, cancel_registration, register_for_event


def change_registration(request, *, event):
    """Register for or cancel a seat at a live event (POST from the event page)."""
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
                messages.info(request, "The event is full: you are on the waitlist.")
            else:
                messages.success(request, "You are registered. The details are below.")
    elif action == "cancel":
        if cancel_registration(learner=request.user, event=event):
            messages.success(request, "Your registration is cancelled.")
    else:
        messages.error(request, "Choose to register or to cancel your registration.")
    return redirect(event.url)
