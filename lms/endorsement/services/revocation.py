"""An association withdraws an endorsement it granted through Attune.

The endorsement row stays (it is the record of what was granted and withdrawn); it leaves
the public registry, its verification page says revoked, and every credential issued for it
has its revocation bit set in the association's status list, so a verifier holding the
credential learns of it without asking Attune.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.records.links import public_url

from ..models import Endorsement, EndorsementSource
from ..selectors.languages import document_language
from ..selectors.review import may_manage_applications
from .credentials import revoke_endorsement_credentials
from .transitions import mail_after_commit


@transaction.atomic
def revoke_endorsement(*, endorsement: Endorsement, actor, reason: str) -> Endorsement:
    """Revoke an endorsement the association granted through Attune, for a reason the holder
    is told. Only the association's administrators who manage applications may do it; a
    second revocation is refused and changes nothing."""
    reason = (reason or "").strip()
    locked = (
        Endorsement.objects.select_for_update(of=("self",))
        .select_related("learner", "association", "category")
        .get(pk=endorsement.pk)
    )
    if not may_manage_applications(user=actor, association=locked.association):
        raise PermissionError(_("Only the association's administrators can revoke an endorsement."))
    if locked.source != EndorsementSource.APPLICATION:
        raise ValidationError(
            _(
                "Only an endorsement granted through Attune can be revoked: this one was "
                "entered by its holder."
            )
        )
    if locked.is_revoked:
        raise ValidationError(_("This endorsement was already revoked."))
    if not reason:
        raise ValidationError(
            {"reason": [_("Give the reason for revoking: the holder is told, and it is kept.")]}
        )
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = reason
    locked.listed_in_registry = False
    locked.save(
        update_fields=[
            "revoked_at",
            "revoked_by",
            "revocation_reason",
            "listed_in_registry",
            "updated_at",
        ]
    )
    revoked = revoke_endorsement_credentials(endorsement=locked, reason=reason)
    record_event(
        action=AuditAction.ENDORSEMENT_REVOKED,
        organization=locked.association,
        target=locked,
        details={"category": locked.category.code, "reason": reason, "credentials": revoked},
        actor=actor,
    )
    with translation.override(document_language(locked.learner)):
        mail_after_commit(
            _("Your %(code)s endorsement was revoked") % {"code": locked.category.code},
            "endorsement/email/endorsement_revoked.txt",
            {
                "endorsement": locked,
                "link": public_url(reverse("endorsement:verify", args=[locked.verification_id])),
            },
            locked.learner.email,
            association=locked.association,
        )
    return locked
