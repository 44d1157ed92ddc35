"""The membership systems a person signs in with, in their download; erasure unlinks them,
so the erased account can no longer be reached through them. Registered with
``lms.accounts.privacy`` from ``SsoConfig.ready()``."""

from django.utils.translation import gettext_lazy

from lms.accounts.privacy import register_section

from .models import ExternalIdentity


def export_sign_in_links(*, user):
    return [
        {
            "association": identity.provider.association.name,
            "membership_system": identity.provider.name,
            "your_id_there": identity.subject,
            "linked_at": identity.created_at,
            "last_sign_in_at": identity.last_sign_in_at,
        }
        for identity in ExternalIdentity.objects.filter(user=user)
        .select_related("provider__association")
        .order_by("created_at")
    ]


def erase_sign_in_links(*, user, anonymous_id):
    ExternalIdentity.objects.filter(user=user).delete()


def register() -> None:
    register_section(
        "membership_sign_in",
        description=gettext_lazy("The association membership systems you sign in with"),
        export=export_sign_in_links,
        erase=erase_sign_in_links,
    )
