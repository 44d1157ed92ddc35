"""Endorsements people hold: granted by an application in Attune, or entered by the holder.

One model for both. The renewal tracker reads the date and the cycle; renewals, the reminder
e-mails and the association's public registry read ``renewal_due``. Only endorsements granted
through Attune appear in the registry: a holder's own word is not something an association
vouches for in public.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EndorsementSource(models.TextChoices):
    SELF_REPORTED = "self_reported", _("Entered by the holder")
    APPLICATION = "application", _("Granted through an application in Attune")


class Endorsement(models.Model):
    # An endorsement is evidence the association keeps: deleting the account refuses
    # (erasure anonymises the account instead).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements"
    )
    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "competencies.EndorsementCategory", on_delete=models.PROTECT, related_name="+"
    )
    endorsed_on = models.DateField("issued on")
    renewal_due = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "When the next renewal is due (from the renewal rules' cycle). Empty when "
            "the association has no renewal rules for the category."
        ),
    )
    provides_rsc = models.BooleanField(
        _("I provide reflective supervision/consultation"), default=False
    )
    source = models.CharField(
        max_length=20, choices=EndorsementSource.choices, default=EndorsementSource.SELF_REPORTED
    )
    application = models.ForeignKey(
        "endorsement.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The application that granted or last renewed it."),
    )
    listed_in_registry = models.BooleanField(
        _("list me in the association's public registry"), default=False
    )
    verification_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Public identifier for verification (a random UUID: 122 random bits)."),
    )
    # Revocation is the association's decision (a code of ethics breach, an error in the
    # grant): the endorsement stays, as the record of what was granted and withdrawn.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["association__name", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "association", "category"],
                name="endorsement_held_once",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["self_reported", "application"]),
                name="endorsement_known_source",
            ),
            models.CheckConstraint(
                condition=Q(renewal_due__isnull=True) | Q(renewal_due__gt=models.F("endorsed_on")),
                name="endorsement_renewal_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(source="application") | Q(listed_in_registry=False),
                name="endorsement_registry_only_granted",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True)
                | (~Q(revocation_reason="") & Q(listed_in_registry=False)),
                name="endorsement_revoked_has_reason_and_unlisted",
            ),
        ]
        indexes = [models.Index(fields=["association", "listed_in_registry", "renewal_due"])]

    def __str__(self):
        return f"{self.learner} holds {self.category.code} since {self.endorsed_on:%Y-%m-%d}"

    @property
    def is_granted_here(self) -> bool:
        return self.source == EndorsementSource.APPLICATION

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_current(self, on) -> bool:
        if self.is_revoked:
            return False
        return self.renewal_due is None or self.renewal_due >= on


class RenewalReminder(models.Model):
    """One reminder e-mail, so that the periodic task sends each one once: per endorsement,
    due date (the cycle) and how many days before it."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement", "due_on", "days_before"], name="endorsement_reminder_once"
            ),
        ]

    def __str__(self):
        return f"Reminder {self.days_before} days before {self.due_on:%Y-%m-%d}"
