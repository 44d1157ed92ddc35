"""Signing a document in an issuer's name, and the 1EdTech schema a credential names."""

from lms.organizations.models import Organization

from ..models import IssuerKey
from .keys import issuer_key_for, private_key, verification_method_id
from .proof import proof_options, sign_document

# credentialSchema entries: the 1EdTech JSON Schemas a verifier may validate against.
ACHIEVEMENT_CREDENTIAL_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


def sign(document: dict, *, key: IssuerKey, created: str) -> dict:
    """``document`` signed with the issuer key ``key`` (eddsa-jcs-2022; ``proof`` is a
    one-element array, as Open Badges 3.0 writes it)."""
    options = proof_options(verification_method=verification_method_id(key), created=created)
    return sign_document(document, private_key=private_key(key), options=options)


def sign_as(document: dict, *, organization: Organization | None, created: str) -> dict:
    """``document`` signed with the issuer's active key (made on first use)."""
    return sign(document, key=issuer_key_for(organization=organization), created=created)
