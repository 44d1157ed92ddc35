"""Telling an organization's media managers when a recording could not be processed for
reasons of ours (``media_pipeline`` announces it; it imports nothing of Attune's)."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.organizations.branding import brand_for_organization
from lms.organizations.mail import send_branded_mail
from lms.organizations.permissions import Action, roles_allowing
from media_pipeline.signals import transcoding_needs_attention


def media_managers(*, organization):
    """Active people who may manage the organization's recordings (its admins and editors)."""
    return User.objects.filter(
        is_active=True,
        memberships__organization=organization,
        memberships__role__in=roles_allowing(Action.MANAGE_MEDIA),
    ).distinct()


@receiver(transcoding_needs_attention, dispatch_uid="courses_recording_needs_attention")
def alert_media_managers(sender, recording, reason, **kwargs):
    to = sorted(media_managers(organization=recording.owner).values_list("email", flat=True))
    if not to:
        return
    link = settings.WAGTAILADMIN_BASE_URL + reverse(
        "wagtailsnippets_media_pipeline_recording:inspect", args=[recording.pk]
    )
    send_branded_mail(
        brand=brand_for_organization(recording.owner),
        subject=_("“%(title)s” could not be processed") % {"title": recording.title},
        template="courses/email/recording_needs_attention.txt",
        context={"recording": recording, "reason": reason, "link": link},
        to=to,
    )
