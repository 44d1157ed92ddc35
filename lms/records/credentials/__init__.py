"""Verifiable credentials Attune issues: Open Badges 3.0 with eddsa-jcs-2022 proofs.

- ``proof``: the Data Integrity cryptosuite (RFC 8785 canonical JSON, Ed25519), nothing else;
- ``keys``: issuer keys (stored encrypted) and issuer profiles;
- ``signing``: signing a document in an issuer's name;
- ``completion``: a platform completion's ``OpenBadgeCredential``;
- ``status``: a status list as a signed ``BitstringStatusListCredential``;
- ``verifying``: Attune's own check of a credential it issued, status included.
"""

from .completion import (
    credential_for,
    current_credential_entry,
    issue_credential_when_committed,
    reissue_credential,
    subject_key,
    unsigned_credential,
)
from .keys import (
    CONTEXTS,
    PLATFORM_ISSUER_SLUG,
    CredentialError,
    SigningKeyUnavailable,
    issuer_key_for,
    issuer_profile,
    issuer_reference,
    issuer_url,
    public_key_multibase,
    reencrypt_issuer_keys,
    verification_method_id,
)
from .proof import CRYPTOSUITE, base58btc, base58btc_decode, canonical_json, iso_datetime
from .signing import ACHIEVEMENT_CREDENTIAL_SCHEMA, sign, sign_as
from .status import status_list_credential
from .verifying import Verification, verify_credential

__all__ = [
    "ACHIEVEMENT_CREDENTIAL_SCHEMA",
    "CONTEXTS",
    "CRYPTOSUITE",
    "PLATFORM_ISSUER_SLUG",
    "CredentialError",
    "SigningKeyUnavailable",
    "Verification",
    "base58btc",
    "base58btc_decode",
    "canonical_json",
    "credential_for",
    "current_credential_entry",
    "iso_datetime",
    "issue_credential_when_committed",
    "issuer_key_for",
    "issuer_profile",
    "issuer_reference",
    "issuer_url",
    "public_key_multibase",
    "reencrypt_issuer_keys",
    "reissue_credential",
    "sign",
    "sign_as",
    "status_list_credential",
    "subject_key",
    "unsigned_credential",
    "verification_method_id",
    "verify_credential",
]
