"""An association's Stripe settings, as its admins set them in the admin."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from ..models import MerchantAccount

PREFIXES = {
    "publishable_key": ("pk_",),
    "secret_key": ("sk_", "rk_"),
    "webhook_secret": ("whsec_",),
}


def _check(name: str, value: str) -> None:
    if value and not value.startswith(PREFIXES[name]):
        raise ValidationError(
            {name: _("This does not look like a Stripe key: it should start with %(prefix)s.")
             % {"prefix": " / ".join(PREFIXES[name])}}
        )  # fmt: skip


@transaction.atomic
def configure_merchant(
    *,
    association,
    by,
    publishable_key: str,
    secret_key: str = "",
    webhook_secret: str = "",
    enabled: bool | None = None,
) -> MerchantAccount:
    """Set the association's keys. An empty secret keeps the stored one (the form never shows
    it back); the publishable key is always replaced (empty turns payments off). ``enabled``
    switches new online payments on or off (None leaves it as it is)."""
    values = {
        "publishable_key": (publishable_key or "").strip(),
        "secret_key": (secret_key or "").strip(),
        "webhook_secret": (webhook_secret or "").strip(),
    }
    for name, value in values.items():
        _check(name, value)
    account, _created = MerchantAccount.objects.select_for_update().get_or_create(
        association=association
    )
    changed = []
    if account.publishable_key != values["publishable_key"]:
        account.publishable_key = values["publishable_key"]
        changed.append("publishable_key")
    for name in ("secret_key", "webhook_secret"):
        if values[name]:
            setattr(account, name, values[name])
            changed.append(name)
    if enabled is not None and account.enabled != bool(enabled):
        account.enabled = bool(enabled)
        changed.append("enabled" if enabled else "disabled")
    account.updated_by = by
    account.save()
    if changed:
        # Which settings changed, never their values.
        record_event(
            action=AuditAction.MERCHANT_CONFIGURED,
            organization=association,
            target=account,
            actor=by,
            details={"changed": changed},
        )
    return account
