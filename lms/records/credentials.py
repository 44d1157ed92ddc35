"""Open Badges 3.0 credentials for platform completions, signed with Ed25519.

The credential is a W3C VerifiableCredential (JSON-LD) of type ``OpenBadgeCredential``
whose issuer is the organization that provided the training (its profile is served at
``/records/issuers/<slug>/``; Attune itself when no organization is known).

Proof: a ``DataIntegrityProof`` with the ``eddsa-jcs-2022`` cryptosuite:

1. ``proofConfig`` = the proof without ``proofValue``, with the document's ``@context``;
2. hash = SHA-256(canonical(proofConfig)) || SHA-256(canonical(document without proof));
3. ``proofValue`` = "z" + base58btc(Ed25519 signature of the hash).

``canonical`` is the JSON Canonicalization Scheme (RFC 8785) for the values credentials
contain here (objects, arrays, strings, booleans, integers; floats only when integral or
short decimals, which JSON and ECMAScript print alike): keys sorted, no whitespace, UTF-8.
Ed25519 signatures are deterministic and ``created`` is the time the record was issued or
last amended, so downloading a credential twice gives the same bytes.

Keys: one active Ed25519 key per issuer. The private key is stored only encrypted with
Fernet under a key derived (HKDF-SHA256) from ``ATTUNE_CREDENTIAL_KEY`` (read from the
environment by the settings), or from ``SECRET_KEY`` when that setting is empty. Changing the
secret without keeping the old one in ``ATTUNE_CREDENTIAL_KEY_FALLBACKS`` makes stored keys
unusable, so production sets ``ATTUNE_CREDENTIAL_KEY`` and keeps it with its backups;
``manage.py rotate_credential_key`` re-encrypts under a new one (docs/operations.md).
"""

import base64
import datetime
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.organizations.models import Organization

from .facts import facts_for
from .links import public_url, verification_url
from .models import IssuerKey, PlatformCompletion, RecordStatus, TrainingRecord

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CRYPTOSUITE = "eddsa-jcs-2022"
PLATFORM_ISSUER_SLUG = "attune"
ED25519_MULTICODEC = b"\xed\x01"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class CredentialError(Exception):
    """A credential cannot be made for this record."""


class SigningKeyUnavailable(CredentialError):
    """The issuer's key cannot be decrypted with the configured keys: an operator's fault,
    whose message is for the operator (logs, commands), not for the learner."""


UNDECRYPTABLE = (
    "The issuer's signing key cannot be decrypted with this ATTUNE_CREDENTIAL_KEY "
    "(nor its ATTUNE_CREDENTIAL_KEY_FALLBACKS): set the key the database was backed up "
    "with (docs/operations.md)."
)


# ---------------------------------------------------------------------------------------------
# Encoding helpers


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = BASE58[rem] + out
    leading = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58.find(char)
        if index < 0:
            raise ValueError("Not base58btc.")
        number = number * 58 + index
    leading = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading + body


def _canonical_value(value):
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return value
    if isinstance(value, Decimal):
        return _canonical_value(float(value))
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    raise TypeError(f"Cannot canonicalize {type(value)!r}.")


def canonical_json(value) -> bytes:
    return json.dumps(
        _canonical_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Issuer keys


def _fernet_for(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"attune.records.issuer-keys",
        info=b"fernet",
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> MultiFernet:
    """Encrypts under ``ATTUNE_CREDENTIAL_KEY`` (``SECRET_KEY`` when empty); decrypts under it
    or any of ``ATTUNE_CREDENTIAL_KEY_FALLBACKS``, the keys it replaced (docs/operations.md)."""
    passphrases = [
        settings.ATTUNE_CREDENTIAL_KEY or settings.SECRET_KEY,
        *settings.ATTUNE_CREDENTIAL_KEY_FALLBACKS,
    ]
    return MultiFernet([_fernet_for(secret) for secret in passphrases])


def reencrypt_issuer_keys() -> int:
    """Encrypt every stored issuer key under the current ``ATTUNE_CREDENTIAL_KEY``, so the
    fallbacks can be dropped. Returns how many keys were rewritten; fails, changing nothing,
    if one cannot be decrypted."""
    fernet = _fernet()
    with transaction.atomic():
        keys = list(IssuerKey.objects.select_for_update().order_by("pk"))
        for key in keys:
            try:
                key.encrypted_private_key = fernet.rotate(bytes(key.encrypted_private_key))
            except InvalidToken as exc:
                raise SigningKeyUnavailable(UNDECRYPTABLE) from exc
            key.save(update_fields=["encrypted_private_key"])
    return len(keys)


def issuer_key_for(*, organization: Organization | None) -> IssuerKey:
    """The issuer's active signing key, made on first use."""
    existing = IssuerKey.objects.filter(organization=organization, is_active=True).first()
    if existing is not None:
        return existing
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    try:
        with transaction.atomic():
            return IssuerKey.objects.create(
                organization=organization,
                public_key=raw_public,
                encrypted_private_key=_fernet().encrypt(raw_private),
            )
    except IntegrityError:
        return IssuerKey.objects.get(organization=organization, is_active=True)


def _private_key(key: IssuerKey) -> Ed25519PrivateKey:
    try:
        raw = _fernet().decrypt(bytes(key.encrypted_private_key))
    except InvalidToken as exc:
        raise SigningKeyUnavailable(UNDECRYPTABLE) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_multibase(key: IssuerKey) -> str:
    return "z" + base58btc(ED25519_MULTICODEC + bytes(key.public_key))


def issuer_slug(organization: Organization | None) -> str:
    return organization.slug if organization is not None else PLATFORM_ISSUER_SLUG


def issuer_url(organization: Organization | None) -> str:
    return public_url(reverse("records:issuer_profile", args=[issuer_slug(organization)]))


def verification_method_id(key: IssuerKey) -> str:
    return f"{issuer_url(key.organization)}#key-{key.pk}"


def issuer_profile(*, organization: Organization | None) -> dict:
    """The issuer's OBv3 Profile with the public keys that verify its credentials."""
    url = issuer_url(organization)
    profile = {
        "@context": [*CONTEXTS, "https://w3id.org/security/multikey/v1"],
        "id": url,
        "type": ["Profile"],
        "name": organization.name if organization else settings.WAGTAIL_SITE_NAME,
    }
    if organization is not None and organization.website:
        profile["url"] = organization.website
    if organization is not None and organization.contact_email:
        profile["email"] = organization.contact_email
    keys = IssuerKey.objects.filter(organization=organization).order_by("pk")
    profile["verificationMethod"] = [
        {
            "id": verification_method_id(k),
            "type": "Multikey",
            "controller": url,
            "publicKeyMultibase": public_key_multibase(k),
        }
        for k in keys
    ]
    profile["assertionMethod"] = [m["id"] for m in profile["verificationMethod"]]
    return profile


# ---------------------------------------------------------------------------------------------
# Building, signing and verifying


def _hours_text(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def _identity_salt(record: TrainingRecord) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), str(record.verification_id).encode(), hashlib.sha256
    ).hexdigest()[:16]


def unsigned_credential(record: TrainingRecord) -> dict:
    facts = facts_for(record)
    organization = record.provider_organization
    issuer = {
        "id": issuer_url(organization),
        "type": ["Profile"],
        "name": organization.name if organization else settings.WAGTAIL_SITE_NAME,
    }
    url = verification_url(record)
    salt = _identity_salt(record)
    email_hash = hashlib.sha256((record.learner.email.lower() + salt).encode()).hexdigest()
    last_change = max(
        [record.created_at, *(a.amended_at for a in record.amendments.all())],
    )
    description = (
        f"{_hours_text(facts.duration_hours)} clock hours of training completed on "
        f"{facts.completed_on.isoformat()}, provided by {facts.provider_name}."
    )
    achievement = {
        "id": f"{url}#achievement",
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": facts.title,
        "description": description,
        "criteria": {"narrative": "Completed the training and met its completion requirements."},
        "creator": issuer,
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": area.name,
                "targetCode": area.code,
                "targetType": "Competency",
                "targetDescription": f"{_hours_text(area.hours)} clock hours",
                "targetUrl": f"{url}#area-{area.code}",
            }
            for area in facts.area_hours
        ],
    }
    if facts.topic:
        achievement["tag"] = [facts.topic]
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            # An erased learner's credential names nobody: only the salted e-mail hash,
            # which matched their address as it was, identifies them.
            *(
                []
                if record.learner.is_erased
                else [
                    {
                        "type": "IdentityObject",
                        "identityType": "name",
                        "hashed": False,
                        "identityHash": record.learner.get_full_name() or record.learner.email,
                    }
                ]
            ),
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${email_hash}",
                "salt": salt,
            },
        ],
        "achievement": achievement,
        "activityEndDate": f"{facts.completed_on.isoformat()}T00:00:00Z",
        "creditsEarned": float(facts.duration_hours),
    }
    evidence = [
        {
            "id": url,
            "type": ["Evidence"],
            "name": "Attune training record",
            "narrative": (
                f"Facilitators: {facts.facilitator_names or 'not recorded'}. "
                f"Delivery: {facts.delivery_format_label}."
            ),
        }
    ]
    return {
        "@context": list(CONTEXTS),
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": _iso(record.created_at),
        "name": facts.title,
        "credentialSubject": subject,
        "evidence": evidence,
        "_created": _iso(last_change),
    }


def _hash_data(document: dict, proof_config: dict) -> bytes:
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def sign(document: dict, *, key: IssuerKey, created: str) -> dict:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method_id(key),
        "proofPurpose": "assertionMethod",
    }
    proof_config = {**proof, "@context": document["@context"]}
    signature = _private_key(key).sign(_hash_data(document, proof_config))
    return {**document, "proof": {**proof, "proofValue": "z" + base58btc(signature)}}


def credential_for(record: TrainingRecord) -> dict:
    """The signed OBv3 credential of a valid platform completion."""
    if not isinstance(record, PlatformCompletion):
        raise CredentialError(_("Open Badges credentials are issued for platform completions."))
    if record.status != RecordStatus.VALID:
        raise CredentialError(_("This record was revoked."))
    document = unsigned_credential(record)
    created = document.pop("_created")
    key = issuer_key_for(organization=record.provider_organization)
    return sign(document, key=key, created=created)


@dataclass
class Verification:
    verified: bool = False
    errors: list[str] = field(default_factory=list)
    record: TrainingRecord | None = None

    @property
    def status(self) -> str:
        if not self.verified:
            return "invalid"
        if self.record is not None and self.record.status == RecordStatus.REVOKED:
            return "revoked"
        return "valid"

    def as_json(self) -> dict:
        data = {"verified": self.verified, "status": self.status, "errors": self.errors}
        if self.record is not None and self.verified:
            data["record"] = {
                "verification_url": verification_url(self.record),
                "revoked": self.record.status == RecordStatus.REVOKED,
                "revocation_reason": self.record.revocation_reason,
                "amendments": self.record.amendments.count(),
            }
        return data


_METHOD = re.compile(r"^(?P<issuer>.+)#key-(?P<pk>\d+)$")
_RECORD_ID = re.compile(r"/verify/(?P<id>[0-9a-f-]{36})/$")


def verify_credential(document) -> Verification:
    """Check a credential's proof against the issuer's key. Any changed field fails."""
    result = Verification()
    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        result.errors.append(_("The document has no proof."))
        return result
    proof = dict(document["proof"])
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    proof_value = proof.pop("proofValue", None)
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        result.errors.append(
            _("The proof is not a DataIntegrityProof with %(suite)s.") % {"suite": CRYPTOSUITE}
        )
    if proof.get("proofPurpose") != "assertionMethod":
        result.errors.append(_("The proof purpose is not assertionMethod."))
    match = _METHOD.match(str(proof.get("verificationMethod", "")))
    key = (
        IssuerKey.objects.select_related("organization").filter(pk=match["pk"]).first()
        if (match)
        else None
    )
    if key is None or match["issuer"] != issuer_url(key.organization):
        result.errors.append(_("The verification method is not a known Attune issuer key."))
    else:
        issuer = unsigned.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id != match["issuer"]:
            result.errors.append(_("The credential's issuer does not control the signing key."))
    if result.errors:
        return result
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        result.errors.append(_("The proof value is missing or not multibase base58btc."))
        return result
    try:
        signature = base58btc_decode(proof_value[1:])
        proof_config = {**proof, "@context": unsigned.get("@context")}
        public = Ed25519PublicKey.from_public_bytes(bytes(key.public_key))
        public.verify(signature, _hash_data(unsigned, proof_config))
    except (InvalidSignature, ValueError, TypeError):
        result.errors.append(_("The signature does not match: the credential was changed."))
        return result
    result.verified = True
    found = _RECORD_ID.search(str(unsigned.get("id", "")))
    if found:
        result.record = (
            TrainingRecord.objects.filter(verification_id=found["id"])
            .prefetch_related("amendments")
            .first()
        )
    return result
