"""Issuer keys and issuer profiles.

One active Ed25519 key per issuer. The private key is stored only encrypted with Fernet
under a key derived (HKDF-SHA256) from ``ATTUNE_CREDENTIAL_KEY`` (read from the environment
by the settings), or from ``SECRET_KEY`` when that setting is empty. Changing the secret
without keeping the old one in ``ATTUNE_CREDENTIAL_KEY_FALLBACKS`` makes stored keys
unusable, so production sets ``ATTUNE_CREDENTIAL_KEY`` and keeps it with its backups;
``manage.py rotate_credential_key`` re-encrypts under a new one (docs/operations.md).

The issuer's profile (an Open Badges 3.0 ``Profile``, served at ``/records/issuers/<slug>/``)
lists its public keys as ``Multikey`` verification methods: a verifier resolves a proof's
``verificationMethod`` there.
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from lms.organizations.models import Organization
from lms.secret_box import SecretBox, SecretUnreadable

from ..links import public_url
from ..models import IssuerKey
from ..status_lists import PLATFORM_ISSUER_SLUG, issuer_slug
from .proof import ED25519_MULTICODEC, base58btc

__all__ = ["PLATFORM_ISSUER_SLUG", "issuer_slug"]

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


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


# Encrypts under ``ATTUNE_CREDENTIAL_KEY`` (``SECRET_KEY`` when empty); decrypts under it or
# any of ``ATTUNE_CREDENTIAL_KEY_FALLBACKS``, the keys it replaced (docs/operations.md).
_box = SecretBox(
    setting="ATTUNE_CREDENTIAL_KEY", salt=b"attune.records.issuer-keys", what="An issuer key"
)


def reencrypt_issuer_keys() -> int:
    """Encrypt every stored issuer key under the current ``ATTUNE_CREDENTIAL_KEY``, so the
    fallbacks can be dropped. Returns how many keys were rewritten; fails, changing nothing,
    if one cannot be decrypted."""
    with transaction.atomic():
        keys = list(IssuerKey.objects.select_for_update().order_by("pk"))
        for key in keys:
            try:
                key.encrypted_private_key = _box.rotate(bytes(key.encrypted_private_key))
            except SecretUnreadable as exc:
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
                encrypted_private_key=_box.encrypt_bytes(raw_private),
            )
    except IntegrityError:
        return IssuerKey.objects.get(organization=organization, is_active=True)


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    try:
        raw = _box.decrypt_bytes(bytes(key.encrypted_private_key))
    except SecretUnreadable as exc:
        raise SigningKeyUnavailable(UNDECRYPTABLE) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_multibase(key: IssuerKey) -> str:
    return "z" + base58btc(ED25519_MULTICODEC + bytes(key.public_key))


def issuer_url(organization: Organization | None) -> str:
    return public_url(reverse("records:issuer_profile", args=[issuer_slug(organization)]))


def issuer_name(organization: Organization | None) -> str:
    return organization.name if organization else settings.WAGTAIL_SITE_NAME


def verification_method_id(key: IssuerKey) -> str:
    return f"{issuer_url(key.organization)}#key-{key.pk}"


def issuer_reference(organization: Organization | None) -> dict:
    """The issuer as credentials name it: a short Profile whose id is the full profile."""
    return {
        "id": issuer_url(organization),
        "type": ["Profile"],
        "name": issuer_name(organization),
    }


def issuer_profile(*, organization: Organization | None) -> dict:
    """The issuer's OBv3 Profile with the public keys that verify its credentials."""
    url = issuer_url(organization)
    profile = {
        "@context": [*CONTEXTS, MULTIKEY_CONTEXT],
        "id": url,
        "type": ["Profile"],
        "name": issuer_name(organization),
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
