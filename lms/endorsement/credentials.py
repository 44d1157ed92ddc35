"""An endorsement granted through Attune as an Open Badges 3.0 credential.

The association is the issuer (its profile and keys are the ones its training records are
signed with). The achievement's ``achievementType`` is ``Certification``, which Open Badges
3.0 defines as a "time-limited, revocable, renewable credential awarded by an authoritative
body for demonstrating the knowledge, skills, and abilities to perform specific tasks or an
occupation": an IECMH endorsement is exactly that (reviewed portfolio, renewal cycle, revoked
for an ethics breach). ``License`` is for "legal authority to do a specific job", which an
association's endorsement is not.

What the credential says is frozen in its ``EndorsementCredential`` row when it is issued;
the holder's name is read when it is built (as on the public verification page, which it
follows: an erased holder's credential names nobody). Signing is deterministic (Ed25519, the
proof's ``created`` is the issue time), so a credential downloaded twice is the same bytes.
"""

from django.urls import reverse

from lms.records.credentials import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA,
    CONTEXTS,
    iso_datetime,
    issuer_reference,
    sign_as,
)
from lms.records.credentials.identity import holder_identifiers, identity_salt
from lms.records.links import public_url
from lms.records.status_lists import as_credential_status, entry_for

from .models import EndorsementCredential

ACHIEVEMENT_TYPE = "Certification"


def _holder_identifiers(issued: EndorsementCredential) -> list[dict]:
    learner = issued.endorsement.learner
    return holder_identifiers(
        email=learner.email,
        salt=identity_salt(issued.credential_uuid),
        name=None if learner.is_erased or not learner.get_full_name() else learner.public_name,
    )


def verification_page_url(endorsement) -> str:
    return public_url(reverse("endorsement:verify", args=[endorsement.verification_id]))


def achievement_id(issued: EndorsementCredential) -> str:
    """The same for every holder of the category from the association: the association's
    public registry, at the category."""
    association = issued.endorsement.association
    registry = public_url(reverse("endorsement:registry", args=[association.slug]))
    return f"{registry}#endorsement-{issued.category_code}"


def unsigned_endorsement_credential(issued: EndorsementCredential) -> dict:
    endorsement = issued.endorsement
    association = endorsement.association
    issuer = issuer_reference(association)
    title = f"{issued.category_name} ({issued.category_code})"
    achievement = {
        "id": achievement_id(issued),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": f"Endorsement: {title}",
        "humanCode": issued.category_code,
        "description": (
            f"Endorsement in infant and early childhood mental health as {title}, "
            f"granted by {association.name}."
        ),
        "criteria": {
            "narrative": (
                f"Met {association.name}'s endorsement requirements for {issued.category_code}: "
                "an application with the holder's training, experience and references, "
                "reviewed and approved by the association; renewed on its renewal cycle."
            )
        },
        "creator": issuer,
    }
    page = verification_page_url(endorsement)
    document = {
        "@context": list(CONTEXTS),
        "id": issued.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": f"{issued.valid_from.isoformat()}T00:00:00Z",
        "name": f"Endorsement: {title}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _holder_identifiers(issued),
            "achievement": achievement,
        },
        "evidence": [
            {
                "id": page,
                "type": ["Evidence"],
                "name": "Public verification page",
                "narrative": (
                    f"{association.name} keeps this endorsement's current standing at {page}."
                ),
            }
        ],
        "credentialSchema": [dict(ACHIEVEMENT_CREDENTIAL_SCHEMA)],
    }
    entry = entry_for(credential_id=issued.credential_id)
    if entry is not None:
        document["credentialStatus"] = as_credential_status(entry)
    if issued.valid_until is not None:
        # Valid through the renewal date, as the verification page says.
        document["validUntil"] = f"{issued.valid_until.isoformat()}T23:59:59Z"
    return document


def signed_endorsement_credential(issued: EndorsementCredential) -> dict:
    """The credential as issued, signed by the association's key."""
    return sign_as(
        unsigned_endorsement_credential(issued),
        organization=issued.endorsement.association,
        created=iso_datetime(issued.issued_at),
    )
