from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .middleware import shorten_staff_session
from .models import LearnerProfile
from .selectors import language_cache_key
from .services import sign_out_everywhere


@receiver(user_logged_in, dispatch_uid="accounts_staff_session")
def staff_session_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        shorten_staff_session(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts_sign_out_everywhere")
def signed_out(sender, request, user, **kwargs):
    if user is not None and user.pk is not None:
        sign_out_everywhere(user=user)


@receiver(post_save, sender=LearnerProfile, dispatch_uid="accounts_language_saved")
@receiver(post_delete, sender=LearnerProfile, dispatch_uid="accounts_language_deleted")
def forget_cached_language(sender, instance, **kwargs):
    """The language middleware reads the preference from the cache: a saved or deleted
    profile counts from the next request."""
    cache.delete(language_cache_key(instance.user_id))
