"""Issuing, superseding and revoking an endorsement's Open Badges credentials.

A grant issues the first credential; each renewal issues a new one (new id, the new renewal
date) and marks the one it replaces superseded in the association's status list, so a
verifier holding the old credential learns it was replaced, never silently. Revoking the
endorsement sets the revoked bit of every credential ever issued for it.
"""

from django.db import transaction
from django.utils import timezone

from lms.records import status_lists
from lms.records.credentials import issuer_key_for
from lms.records.models_status import StatusSubject

from ..models import Endorsement, EndorsementCredential, EndorsementSource


def _subject_key(endorsement: Endorsement) -> str:
    return f"endorsement:{endorsement.verification_id}"


@transaction.atomic
def issue_endorsement_credential(*, endorsement: Endorsement) -> EndorsementCredential:
    """The credential of an endorsement as it stands now (granted or just renewed)."""
    if endorsement.source != EndorsementSource.APPLICATION or endorsement.is_revoked:
        raise ValueError("Only a current endorsement granted through Attune gets a credential.")
    now = timezone.now()
    previous = list(
        EndorsementCredential.objects.select_for_update().filter(
            endorsement=endorsement, superseded_at__isnull=True
        )
    )
    for old in previous:
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
    issued = EndorsementCredential.objects.create(
        endorsement=endorsement,
        category_code=endorsement.category.code,
        category_name=endorsement.category.name,
        valid_from=endorsement.endorsed_on,
        valid_until=endorsement.renewal_due,
        issued_at=now,
    )
    entry = status_lists.allocate(
        organization=endorsement.association,
        credential_id=issued.credential_id,
        subject_kind=StatusSubject.ENDORSEMENT,
        subject_key=_subject_key(endorsement),
    )
    for old in previous:
        status_lists.supersede(credential_id=old.credential_id, by=entry)
    # The association's key is made now, so downloading the credential later only reads.
    issuer_key_for(organization=endorsement.association)
    return issued


def revoke_endorsement_credentials(*, endorsement: Endorsement, reason: str) -> int:
    """Set the revoked bit of every credential issued for the endorsement."""
    return status_lists.revoke_subject(subject_key=_subject_key(endorsement), reason=reason)
