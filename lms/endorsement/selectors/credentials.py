"""The endorsement credential in force."""

from ..models import Endorsement, EndorsementCredential


def current_credential(*, endorsement: Endorsement) -> EndorsementCredential | None:
    return (
        EndorsementCredential.objects.filter(endorsement=endorsement, superseded_at__isnull=True)
        .select_related("endorsement__association", "endorsement__learner")
        .first()
    )
