"""The holder's listing in their association's public registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Endorsement, EndorsementSource


@transaction.atomic
def set_registry_listing(*, learner, endorsement_id: int, listed: bool) -> Endorsement:
    """The holder opts in to (or out of) the association's public registry."""
    endorsement = (
        Endorsement.objects.select_for_update()
        .filter(learner=learner, pk=endorsement_id, source=EndorsementSource.APPLICATION)
        .first()
    )
    if endorsement is None:
        raise ValidationError(
            _("Only an endorsement granted through Attune can be listed in the registry.")
        )
    if listed and endorsement.is_revoked:
        raise ValidationError(_("A revoked endorsement cannot be listed in the registry."))
    endorsement.listed_in_registry = bool(listed)
    endorsement.save(update_fields=["listed_in_registry", "updated_at"])
    return endorsement
