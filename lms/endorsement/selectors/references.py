"""The raters an applicant names (reference requests) as the learner and the rules see them,
and the signed, expiring, single-use link each rater is sent: making one and checking one.
"""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext, gettext_lazy, ngettext

from ..models import (
    ACTIVE_REFERENCES,
    ApplicationStatus,
    RaterRelationship,
    ReferenceRequest,
    ReferenceStatus,
)
from ..rules.facts import TickFact
from ..rules.rule_sets import ChecklistItem

REFERENCE_SALT = "lms.endorsement.reference"


def reference_link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "ATTUNE_REFERENCE_LINK_DAYS", 21))


class ReferenceLinkError(Exception):
    """A reference link that cannot be used; ``reason`` says why."""

    EXPIRED = "expired"
    INVALID = "invalid"
    USED = "used"
    WRONG_USER = "wrong_user"

    MESSAGES = {
        EXPIRED: gettext_lazy(
            "This reference link has expired. Ask the applicant to send a new one."
        ),
        INVALID: gettext_lazy("This reference link is not valid."),
        USED: gettext_lazy("This reference link has already been used."),
        WRONG_USER: gettext_lazy(
            "This link was sent to another person. Sign in with the e-mail address "
            "the request was sent to."
        ),
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)

    def __str__(self):
        """Why the link cannot be used, in the active language."""
        return str(self.MESSAGES[self.reason])


def reference_token(reference: ReferenceRequest) -> str:
    return signing.dumps({"r": reference.pk, "n": reference.nonce}, salt=REFERENCE_SALT)


def reference_for_token(*, token: str, user, lock: bool = False) -> ReferenceRequest:
    """The reference a link is for, after every check of the link and the person opening it."""
    try:
        payload = signing.loads(token, salt=REFERENCE_SALT, max_age=reference_link_max_age())
    except signing.SignatureExpired as exc:
        raise ReferenceLinkError(ReferenceLinkError.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise ReferenceLinkError(ReferenceLinkError.INVALID) from exc
    references = ReferenceRequest.objects.select_related(
        "application__learner", "application__category", "application__association"
    )
    if lock:
        references = references.select_for_update(of=("self",))
    reference = references.filter(pk=payload.get("r")).first()
    if reference is None or reference.application.status == ApplicationStatus.WITHDRAWN:
        raise ReferenceLinkError(ReferenceLinkError.INVALID)
    if reference.status != ReferenceStatus.INVITED or not secrets.compare_digest(
        reference.nonce or "", payload.get("n") or ""
    ):
        raise ReferenceLinkError(ReferenceLinkError.USED)
    email = (getattr(user, "email", "") or "").lower()
    if email != reference.email.lower() or user.pk == reference.application.learner_id:
        raise ReferenceLinkError(ReferenceLinkError.WRONG_USER)
    return reference


def active_references(references) -> list[ReferenceRequest]:
    return [r for r in references if r.status in ACTIVE_REFERENCES]


def reference_gaps(*, requirement_set, references) -> list[str]:
    """What the raters named so far still lack, in sentences."""
    if requirement_set is None:
        return []
    active = active_references(references)
    gaps = []
    needed = requirement_set.raters_required
    if len(active) < needed:
        more = needed - len(active)
        gaps.append(
            ngettext(
                "Name %(count)s more reference rater.",
                "Name %(count)s more reference raters.",
                more,
            )
            % {"count": more}
        )
    if requirement_set.supervisor_rater_required and not any(
        r.relationship == RaterRelationship.CURRENT_SUPERVISOR for r in active
    ):
        gaps.append(gettext("One of your raters must be your current supervisor."))
    return gaps


def reference_tick(requirement_set, references, on) -> tuple[TickFact, ...]:
    """In an application the references item is met by the raters named in it."""
    if reference_gaps(requirement_set=requirement_set, references=references):
        return ()
    return (TickFact(item=ChecklistItem.REFERENCES, completed_on=on),)


def reference_statuses(*, application) -> list[dict]:
    """What the learner sees of each rater: who, and the status. Never the ratings."""
    return [
        {
            "name": r.name,
            "email": r.email,
            "relationship": r.get_relationship_display(),
            "status": r.status,
            "status_label": r.get_status_display(),
            "invited_at": r.invited_at,
            "responded_at": r.responded_at,
            "pk": r.pk,
        }
        for r in application.references.exclude(status=ReferenceStatus.REPLACED)
    ]
