"""Erasure reaches what Attune has queued for associations' systems: webhook events about the
person (pending, or kept as a delivery log) lose the name and e-mail they carried. Their
consents end with the erasure, so nothing new is queued, and pending deliveries are cancelled
when their turn comes (``deliver`` checks consent)."""

from django.utils.translation import gettext_lazy

from lms.accounts.privacy import register_section

from .models import WebhookEvent


def _scrub(value, *, replacements: dict[str, str]):
    if isinstance(value, dict):
        return {key: _scrub(item, replacements=replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, replacements=replacements) for item in value]
    if isinstance(value, str) and value.strip().lower() in replacements:
        return replacements[value.strip().lower()]
    return value


def scrub_webhook_payloads(*, user, anonymous_id) -> int:
    """Replace the person's name and e-mail in the payload of every event about them.
    Call before the account's own name and e-mail change. Returns how many events changed."""
    replacements = {user.email.strip().lower(): f"{anonymous_id}@invalid"}
    for name in (user.get_full_name(), user.first_name, user.last_name):
        if name.strip():
            replacements[name.strip().lower()] = ""
    changed = 0
    for event in WebhookEvent.objects.filter(learner=user).only("pk", "payload"):
        payload = _scrub(event.payload, replacements=replacements)
        if payload != event.payload:
            WebhookEvent.objects.filter(pk=event.pk).update(payload=payload)
            changed += 1
    return changed


def register() -> None:
    register_section(
        "webhook_events",
        description=gettext_lazy("What was sent about you to associations' own systems"),
        erase=scrub_webhook_payloads,
    )
