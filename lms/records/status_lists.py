"""Credential status: allocating a credential's entry in its issuer's status list,
revoking and superseding credentials, and the list's bitstring as a verifier reads it.

The small API other parts call (the record credential here; endorsements and CLR
transcripts elsewhere):

- ``allocate(organization=..., credential_id=..., subject_kind=..., subject_key=...)`` gives
  the credential a new entry; ``entry_for(credential_id=...)`` finds it again;
- ``as_credential_status(entry)`` is the ``credentialStatus`` object to sign into it;
- ``revoke(credential_id=..., reason=...)`` and ``revoke_subject(subject_key=..., ...)`` set
  the revoked bit; ``supersede(credential_id=..., by=new_entry)`` marks an older credential
  replaced by a newer one (``current_entry(subject_key=...)`` is the newest not replaced).

The list credential itself is signed in ``credentials.status`` (served by
``views.verification.status_list``). Spec: W3C Bitstring Status List v1.0.
"""

import base64
import gzip
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from lms.organizations.models import Organization

from .links import public_url
from .models_status import (
    LIST_BITS,
    LIST_CAPACITY,
    STATUS_SIZE,
    CredentialStatusEntry,
    CredentialStatusList,
    StatusPurpose,
)

PLATFORM_ISSUER_SLUG = "attune"
# statusMessage of every entry: one message per value the two bits can take, as the spec
# asks when statusSize is over 1.
STATUS_MESSAGES = [
    {"status": "0x0", "message": "valid"},
    {"status": "0x1", "message": "revoked"},
    {"status": "0x2", "message": "superseded"},
    {"status": "0x3", "message": "superseded and revoked"},
]


def issuer_slug(organization: Organization | None) -> str:
    return organization.slug if organization is not None else PLATFORM_ISSUER_SLUG


def list_url(status_list: CredentialStatusList) -> str:
    return public_url(
        reverse(
            "records:status_list",
            args=[issuer_slug(status_list.organization), status_list.purpose, status_list.pk],
        )
    )


def as_credential_status(entry: CredentialStatusEntry) -> dict:
    url = list_url(entry.status_list)
    return {
        "id": f"{url}#{entry.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": entry.status_list.purpose,
        "statusListIndex": str(entry.index),
        "statusListCredential": url,
        "statusSize": STATUS_SIZE,
        "statusMessage": STATUS_MESSAGES,
    }


def allocate(
    *,
    organization: Organization | None,
    credential_id: str,
    subject_kind: str,
    subject_key: str,
    version_key: str = "",
) -> CredentialStatusEntry:
    """A new entry for a credential about to be signed, at a random free index of the
    issuer's open list. Indexes are taken under a row lock on the list, so two credentials
    never share one; a full list opens the next."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                status_list = (
                    CredentialStatusList.objects.select_for_update()
                    .filter(
                        organization=organization,
                        purpose=StatusPurpose.MESSAGE,
                        entry_count__lt=LIST_CAPACITY,
                    )
                    .order_by("pk")
                    .first()
                )
                if status_list is None:
                    status_list = CredentialStatusList.objects.create(
                        organization=organization, purpose=StatusPurpose.MESSAGE
                    )
                index = _free_index(status_list)
                CredentialStatusList.objects.filter(pk=status_list.pk).update(
                    entry_count=F("entry_count") + 1
                )
                return CredentialStatusEntry.objects.create(
                    status_list=status_list,
                    index=index,
                    credential_id=credential_id,
                    subject_kind=subject_kind,
                    subject_key=subject_key,
                    version_key=version_key,
                )
        except IntegrityError:
            existing = entry_for(credential_id=credential_id)
            if existing is not None:
                return existing
    raise IntegrityError("No status list index could be allocated.")


def _free_index(status_list: CredentialStatusList) -> int:
    """A random index no entry of the (locked, not full) list has. A few draws almost
    always find one; a nearly full list chooses among the indexes still free."""
    taken = CredentialStatusEntry.objects.filter(status_list=status_list)
    for _draw in range(8):
        candidate = secrets.randbelow(LIST_CAPACITY)
        if not taken.filter(index=candidate).exists():
            return candidate
    used = set(taken.values_list("index", flat=True))
    return secrets.choice([i for i in range(LIST_CAPACITY) if i not in used])


def entry_for(*, credential_id: str) -> CredentialStatusEntry | None:
    return (
        CredentialStatusEntry.objects.select_related("status_list__organization", "superseded_by")
        .filter(credential_id=credential_id)
        .first()
    )


def current_entry(*, subject_key: str) -> CredentialStatusEntry | None:
    """The newest credential of a subject that nothing replaced."""
    return (
        CredentialStatusEntry.objects.select_related("status_list__organization")
        .filter(subject_key=subject_key, superseded_by__isnull=True)
        .order_by("-pk")
        .first()
    )


def _touch(list_ids) -> None:
    CredentialStatusList.objects.filter(pk__in=set(list_ids)).update(
        version=F("version") + 1, changed_at=timezone.now()
    )


@transaction.atomic
def revoke(*, credential_id: str, reason: str) -> CredentialStatusEntry | None:
    entry = (
        CredentialStatusEntry.objects.select_for_update()
        .filter(credential_id=credential_id)
        .first()
    )
    if entry is None or entry.revoked_at:
        return entry
    entry.revoked_at = timezone.now()
    entry.revocation_reason = reason
    entry.save(update_fields=["revoked_at", "revocation_reason"])
    _touch([entry.status_list_id])
    return entry


@transaction.atomic
def revoke_subject(*, subject_key: str, reason: str) -> int:
    """Revoke every credential ever signed about one thing (all its versions)."""
    entries = CredentialStatusEntry.objects.select_for_update().filter(
        subject_key=subject_key, revoked_at__isnull=True
    )
    list_ids = list(entries.values_list("status_list_id", flat=True))
    count = entries.update(revoked_at=timezone.now(), revocation_reason=reason)
    _touch(list_ids)
    return count


@transaction.atomic
def supersede(*, credential_id: str, by: CredentialStatusEntry) -> CredentialStatusEntry | None:
    """Mark a credential replaced by the newer credential ``by``. It still verifies, and
    its status says superseded."""
    entry = (
        CredentialStatusEntry.objects.select_for_update()
        .filter(credential_id=credential_id)
        .first()
    )
    if entry is None or entry.superseded_by_id or entry.pk == by.pk:
        return entry
    entry.superseded_by = by
    entry.superseded_at = timezone.now()
    entry.save(update_fields=["superseded_by", "superseded_at"])
    _touch([entry.status_list_id])
    return entry


def encoded_list(status_list: CredentialStatusList) -> str:
    """The list's ``encodedList``: multibase base64url (no padding, prefix "u") of the
    GZIP-compressed bitstring. Entry ``i`` takes bits ``i*2`` and ``i*2+1``, counted from
    the left-most bit of the first byte; its value is read most significant bit first."""
    bits = bytearray(LIST_BITS // 8)
    rows = CredentialStatusEntry.objects.filter(status_list=status_list).filter(
        revoked_at__isnull=False
    ) | CredentialStatusEntry.objects.filter(status_list=status_list, superseded_by__isnull=False)
    for index, revoked_at, superseded_by in rows.values_list(
        "index", "revoked_at", "superseded_by"
    ):
        value = (1 if revoked_at else 0) | (2 if superseded_by else 0)
        for offset in range(STATUS_SIZE):
            if value & (1 << (STATUS_SIZE - 1 - offset)):
                position = index * STATUS_SIZE + offset
                bits[position // 8] |= 0x80 >> (position % 8)
    # mtime=0: the same statuses always give the same bytes, so the signature is stable.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def status_list_for(*, issuer: str, purpose: str, pk: int) -> CredentialStatusList | None:
    """The list a public URL names, or None when any part of the URL is wrong."""
    status_list = CredentialStatusList.objects.select_related("organization").filter(pk=pk).first()
    if status_list is None or status_list.purpose != purpose:
        return None
    if issuer_slug(status_list.organization) != issuer:
        return None
    return status_list
