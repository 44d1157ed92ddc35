"""The Open Badges credentials issued for an endorsement granted through Attune.

One row per issue: the grant, then each renewal (a new credential id, the old one marked
superseded in its status list). The facts the credential states are frozen here when it is
issued, so downloading it again gives the same signed bytes even if the category is renamed.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EndorsementCredential(models.Model):
    endorsement = models.ForeignKey(
        "endorsement.Endorsement", on_delete=models.PROTECT, related_name="credentials"
    )
    credential_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category_code = models.CharField(max_length=20)
    category_name = models.CharField(max_length=200)
    valid_from = models.DateField(help_text=_("The day the endorsement was granted."))
    valid_until = models.DateField(
        null=True, blank=True, help_text=_("The renewal date when the credential was issued.")
    )
    issued_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a renewal issued the credential that replaced it.")
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # One credential in force per endorsement; the others were superseded.
            models.UniqueConstraint(
                fields=["endorsement"],
                condition=Q(superseded_at__isnull=True),
                name="endorsement_one_current_credential",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="endorsement_credential_valid_until_after_from",
            ),
        ]

    def __str__(self):
        return f"Credential {self.credential_uuid} for {self.category_code}"

    @property
    def credential_id(self) -> str:
        return f"urn:uuid:{self.credential_uuid}"
