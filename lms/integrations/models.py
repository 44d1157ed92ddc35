"""How an association's own systems receive records: API tokens and webhooks.

Tokens are stored only as an HMAC digest (see ``tokens.py``); a webhook endpoint's signing
secret is not stored at all but derived from a server key and the endpoint's random salt
(see ``webhooks.py``), so a copy of the database alone neither calls the API nor forges a
delivery. Every delivery attempt is a row: the retry schedule survives a worker restart.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read records shared with the association")


class AssociationApiToken(models.Model):
    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("What uses it, e.g. “Our EASy import”.")
    )
    prefix = models.CharField(
        max_length=24, unique=True, editable=False, help_text=_("The public start of the token.")
    )
    digest = models.CharField(max_length=64, editable=False)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made in lms.endorsement; the table kept its name when the model moved here.
        db_table = "endorsement_associationapitoken"
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read"]), name="endorsement_token_known_scope"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEventType(models.TextChoices):
    RECORD_ISSUED = "record.issued", _("A record was issued")
    RECORD_AMENDED = "record.amended", _("A record was amended")
    RECORD_REVOKED = "record.revoked", _("A record was revoked")
    APPLICATION_DECIDED = "application.decided", _("An application was decided")


class WebhookEndpoint(models.Model):
    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret_salt = models.CharField(max_length=64, editable=False)
    secret_hint = models.CharField(max_length=16, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Sustained failure: every attempt since ``failing_since`` failed. After the disable
    # window Attune stops sending (``disabled_at``) and keeps what is pending for a re-enable;
    # unlike switching it off (``is_active``), nothing is cancelled.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        # Made in lms.endorsement; the table kept its name when the model moved here.
        db_table = "endorsement_webhookendpoint"
        ordering = ["association", "url"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "url"],
                condition=Q(is_active=True),
                name="endorsement_endpoint_once",
            ),
        ]

    def __str__(self):
        return self.url

    @property
    def is_sending(self) -> bool:
        return self.is_active and self.disabled_at is None


class WebhookEvent(models.Model):
    """Something to tell one association: the event id is the receiver's idempotency key."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(max_length=32, choices=WebhookEventType.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Made in lms.endorsement; the table kept its name when the model moved here.
        db_table = "endorsement_webhookevent"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Gave up")
    CANCELLED = "cancelled", _("Cancelled")


class WebhookDelivery(models.Model):
    """One event to one endpoint, retried with backoff until it succeeds or the retry window
    (a day or more, from ``retry_from`` or else creation) has passed. ``next_attempt_at`` is
    also the lease of an attempt in flight; ``queued_until`` is the lease of its message on the
    broker (queued, held for a countdown, or being attempted): while it holds, no sweep queues
    the delivery again, and it counts toward the endpoint's and the platform's caps."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_until = models.DateTimeField(null=True, blank=True)
    retry_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made in lms.endorsement; the table kept its name when the model moved here.
        db_table = "endorsement_webhookdelivery"
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="endorsement_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed", "cancelled"]),
                name="endorsement_delivery_known_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
                name="endorsement_pending_delivery_is_scheduled",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["endpoint", "queued_until"], name="endorsement_delivery_leased"),
        ]

    def __str__(self):
        return f"{self.event_id} to {self.endpoint_id}: {self.status}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery and what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    signed_timestamp = models.BigIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        # Made in lms.endorsement; the table kept its name when the model moved here.
        db_table = "endorsement_webhookattempt"
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="endorsement_attempt_number_once"
            ),
        ]

    def __str__(self):
        return f"Attempt {self.number} of delivery {self.delivery_id}"


# xAPI statements to associations' learning record stores (lms/integrations/xapi/).
from .xapi.models import LearningRecordStore, XapiStatement  # noqa: E402, F401
