from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import shorten_staff_session


@receiver(user_logged_in, dispatch_uid="accounts_staff_session")
def staff_session_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        shorten_staff_session(request=request, user=user)
