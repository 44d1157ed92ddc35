"""The audit log: who did what to whose data, and when. Rows are only ever added."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    RECORD_AMENDED = "record_amended", _("Record amended")
    RECORD_REVOKED = "record_revoked", _("Record revoked")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    ROLE_REMOVED = "role_removed", _("Role removed")
    STAFF_ADDED = "staff_added", _("Added to a center's roster")
    STAFF_ENDED = "staff_ended", _("Taken off a center's roster")
    CONSENT_GRANTED = "consent_granted", _("Consent granted")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
    DATA_EXPORTED = "data_exported", _("Other people's data exported")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("A person downloaded their own data")
    ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
    ERASURE_COMPLETED = "erasure_completed", _("Personal data erased")
    ERASURE_DECLINED = "erasure_declined", _("Erasure request declined")
    TRAINING_ARCHIVED = "training_archived", _("Training archived with its enrollments")
    TRAINING_RESTORED = "training_restored", _("Training restored from the archive")
    CAPTION_EXCEPTION_GRANTED = (
        "caption_exception_granted",
        _("Training allowed to publish without reviewed captions"),
    )
    CAPTION_EXCEPTION_REVOKED = (
        "caption_exception_revoked",
        _("Caption exception revoked"),
    )
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint_disabled", _("Webhook endpoint disabled")
    WEBHOOK_ENDPOINT_REENABLED = "webhook_endpoint_reenabled", _("Webhook endpoint re-enabled")
    INVOICE_QUOTED = "invoice_quoted", _("Invoice quote drawn up")
    INVOICE_ORDERED = "invoice_ordered", _("Purchase order recorded on an invoice")
    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    INVOICE_PAID = "invoice_paid", _("Invoice paid")
    INVOICE_VOIDED = "invoice_voided", _("Invoice voided")
    MEMBERSHIP_STARTED = "membership_started", _("Association membership started")
    MEMBERSHIP_RENEWED = "membership_renewed", _("Association membership renewed")
    MEMBERSHIP_RECORDED = "membership_recorded", _("Association membership recorded by hand")
    MEMBERSHIP_LAPSED = "membership_lapsed", _("Association membership lapsed")
    MEMBERSHIP_CANCELLED = "membership_cancelled", _("Association membership cancelled")
    FEE_PAID = "endorsement_fee_paid", _("Endorsement fee paid")
    FEE_WAIVED = "endorsement_fee_waived", _("Endorsement fee waived")
    ORDER_PAID = "order_paid", _("Order paid")
    ORDER_PAID_BY_HAND = "order_paid_by_hand", _("Order marked paid by hand")
    ORDER_PAYMENT_FAILED = "order_payment_failed", _("Order payment failed")
    ORDER_EXPIRED = "order_expired", _("Unpaid order expired")
    ORDER_REFUNDED = "order_refunded", _("Order refunded")
    MERCHANT_CONFIGURED = "merchant_configured", _("Stripe payment settings changed")
    COUPON_RESERVED = "coupon_reserved", _("Coupon applied to an order")
    COUPON_RELEASED = "coupon_released", _("Coupon use given back")
    OFFER_CHANGED = "offer_changed", _("Coupon or bundle created, changed or deleted")
    MEMBERSHIP_PLAN_CHANGED = (
        "membership_plan_changed",
        _("Membership plan created, changed or deleted"),
    )
    LRS_CONFIGURED = "lrs_configured", _("Learning record store settings changed")
    IDENTITY_PROVIDER_CHANGED = (
        "identity_provider_changed",
        _("Membership-system sign-in created, changed or deleted"),
    )
    LTI_PLATFORM_CHANGED = "lti_platform_changed", _("Learning platform (LTI) connected or changed")
    CREDIT_KIND_CHANGED = (
        "credit_kind_changed",
        _("Continuing-education credit kind created, changed or deleted"),
    )
    ENDORSEMENT_REVOKED = "endorsement_revoked", _("Endorsement revoked")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Audit events cannot be changed.")

    def delete(self):
        raise ValidationError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One sensitive action. The actor and organization are links without a database
    constraint: deleting an account or organization leaves its entries, and their ids, as they
    were. The actor's e-mail and the target's description are kept as text, so an entry still
    reads correctly after its subjects are gone."""

    created = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("Actor"), max_length=254, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("Target"), max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-created"]),
            models.Index(fields=["action", "-created"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr} by {self.actor_repr or '—'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events cannot be deleted.")
