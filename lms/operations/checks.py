"""System checks for what a restore needs: the keys that encrypt and sign must be set on
their own, not derived from ``SECRET_KEY`` (docs/operations.md, "Keys")."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KEYS = {
    "ATTUNE_CREDENTIAL_KEY": (
        "attune.W001",
        gettext_lazy("it encrypts the issuers' credential signing keys"),
    ),
    "ATTUNE_INTEGRATION_KEY": (
        "attune.W002",
        gettext_lazy("it keys the digests of association API tokens and the webhook secrets"),
    ),
    "ATTUNE_PAYMENTS_KEY": (
        "attune.W003",
        gettext_lazy("it encrypts the associations' Stripe secret keys"),
    ),
    "ATTUNE_XAPI_KEY": (
        "attune.W004",
        gettext_lazy("it encrypts the secrets of the associations' learning record stores"),
    ),
    "ATTUNE_SSO_SECRETS_KEY": (
        "attune.W005",
        gettext_lazy("it encrypts the client secrets of the associations' membership systems"),
    ),
}


@register(Tags.security, deploy=True)
def keys_are_set_apart_from_secret_key(app_configs, **kwargs):
    """``check --deploy`` (the production release step) warns about each key left empty."""
    found = []
    for name, (check_id, protects) in KEYS.items():
        if getattr(settings, name, ""):
            continue
        found.append(
            Warning(
                _("%(name)s is empty, so it is derived from SECRET_KEY: %(protects)s.")
                % {"name": name, "protects": protects},
                hint=_(
                    "Set %(name)s to its own random value, keep it with the database backups "
                    "and never change SECRET_KEY without it (docs/operations.md)."
                )
                % {"name": name},
                id=check_id,
            )
        )
    return found
