"""Credential status (W3C Bitstring Status List v1.0): where a verifier learns, without
asking Attune's private API, that a credential was revoked or replaced by a newer one.

Each issuer (an organization, or Attune itself) has status lists of a fixed size; every
credential Attune signs gets one entry, an index in one list, allocated once and never
reused. Indexes are drawn at random, as the spec's privacy considerations advise: an index
says nothing about when a credential was issued or how many came before it.

The entry's two bits say "revoked" (bit value 1) and "superseded" (bit value 2):
a ``statusPurpose: "message"`` list with ``statusSize`` 2, because Open Badges 3.0 allows a
credential only one ``credentialStatus`` object and a verifier must learn both facts.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The spec's minimum bitstring is 16 KB (131,072 bits), which hides which entries are used.
LIST_BITS = 131_072
STATUS_SIZE = 2
LIST_CAPACITY = LIST_BITS // STATUS_SIZE


class StatusPurpose(models.TextChoices):
    MESSAGE = "message", _("Status message")


class CredentialStatusList(models.Model):
    """One published bitstring of an issuer: up to ``LIST_CAPACITY`` credentials."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credential_status_lists",
        help_text=_("Empty for credentials Attune issues in its own name."),
    )
    purpose = models.CharField(
        max_length=20, choices=StatusPurpose.choices, default=StatusPurpose.MESSAGE
    )
    # How many entries the list has given out (their indexes are random, so not a cursor).
    entry_count = models.PositiveIntegerField(default=0)
    # Bumped whenever an entry's status changes: the published list's ETag and validFrom.
    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_count__lte=LIST_CAPACITY),
                name="records_status_list_not_over_full",
            ),
        ]

    def __str__(self):
        return f"Status list {self.pk} of {self.organization or 'Attune'}"

    @property
    def is_full(self) -> bool:
        return self.entry_count >= LIST_CAPACITY


class StatusSubject(models.TextChoices):
    RECORD = "record", _("Training record")
    ENDORSEMENT = "endorsement", _("Endorsement")
    CLR = "clr", _("Comprehensive learner record")
    OTHER = "other", _("Other")


class CredentialStatusEntry(models.Model):
    """One signed credential's place in a status list. Never deleted: the index stays
    taken so a later credential never inherits an old one's status."""

    status_list = models.ForeignKey(
        CredentialStatusList, on_delete=models.PROTECT, related_name="entries"
    )
    index = models.PositiveIntegerField()
    credential_id = models.CharField(max_length=300, unique=True)
    subject_kind = models.CharField(max_length=20, choices=StatusSubject.choices)
    # What the credential is about, e.g. a record's verification id: how a revocation or a
    # re-issue finds every credential of the same thing.
    subject_key = models.CharField(max_length=120, db_index=True)
    # What this version of the credential states, in short (e.g. the amendments and the
    # claimed credits it includes): a different version is a new credential.
    version_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "index"], name="records_status_index_once_per_list"
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=models.F("pk")),
                name="records_status_not_self_superseded",
            ),
        ]

    def __str__(self):
        return f"Status of {self.credential_id}"

    @property
    def value(self) -> int:
        """The entry's value in the list: 1 revoked, 2 superseded, 3 both."""
        return (1 if self.revoked_at else 0) | (2 if self.superseded_by_id else 0)

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.superseded_by_id:
            return "superseded"
        return "valid"
