"""Status lists: entries allocated once per credential, the bitstring a verifier decodes,
the public endpoint (cacheable, signed, 404 for any list it does not serve)."""

import base64
import gzip

import pytest
from django.urls import reverse

from lms.records import status_lists
from lms.records.models_status import (
    LIST_BITS,
    LIST_CAPACITY,
    CredentialStatusEntry,
    CredentialStatusList,
    StatusSubject,
)
from tests.credentials_verifier import client_fetch, decode_list, read_status, verify
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def allocate(org, n):
    return status_lists.allocate(
        organization=org,
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        subject_kind=StatusSubject.OTHER,
        subject_key=f"test:{n}",
    )


def path_of(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def test_entries_take_random_free_indexes_once_and_a_full_list_opens_another(
    framework, monkeypatch
):
    org = OrganizationFactory()
    entries = [allocate(org, n) for n in range(20)]
    indexes = [e.index for e in entries]
    assert len(set(indexes)) == 20 and all(0 <= i < LIST_CAPACITY for i in indexes)
    # Drawn at random, not counted: twenty indexes all below 20 would give the order away.
    assert max(indexes) >= 20
    assert len({e.status_list_id for e in entries}) == 1
    assert CredentialStatusList.objects.get(pk=entries[0].status_list_id).entry_count == 20
    # The same credential asked again keeps its entry.
    assert allocate(org, 2).pk == entries[2].pk

    # A small list fills up: every index is used once, then the next list opens.
    monkeypatch.setattr(status_lists, "LIST_CAPACITY", 4)
    small = OrganizationFactory()
    filled = [allocate(small, 100 + n) for n in range(4)]
    assert sorted(e.index for e in filled) == [0, 1, 2, 3]
    assert len({e.status_list_id for e in filled}) == 1
    overflow = allocate(small, 110)
    assert overflow.status_list_id != filled[0].status_list_id and 0 <= overflow.index < 4
    # Another issuer has lists of its own.
    assert allocate(OrganizationFactory(), 20).status_list_id not in {
        filled[0].status_list_id,
        overflow.status_list_id,
        entries[0].status_list_id,
    }


def test_the_bitstring_holds_revoked_and_superseded_at_the_entry(framework):
    org = OrganizationFactory()
    status_list = CredentialStatusList.objects.create(organization=org)
    # Entries at known places (allocation draws them at random) to pin the bit order.
    entries = [
        CredentialStatusEntry.objects.create(
            status_list=status_list,
            index=n,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
            subject_kind=StatusSubject.OTHER,
            subject_key=f"test:{n}",
        )
        for n in range(6)
    ]
    status_lists.revoke(credential_id=entries[3].credential_id, reason="Issued in error")
    status_lists.supersede(credential_id=entries[4].credential_id, by=entries[5])
    status_lists.revoke(credential_id=entries[1].credential_id, reason="x")
    status_lists.supersede(credential_id=entries[1].credential_id, by=entries[2])
    encoded = status_lists.encoded_list(status_list)
    assert encoded.startswith("u") and "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 == LIST_BITS == 131_072
    # Entry i is bits 2i and 2i+1 from the left of the first byte: 1 revoked, 2 superseded.
    assert raw[0] == 0b00_11_00_01 and raw[1] == 0b10_00_00_00
    assert [read_status(decode_list(encoded), i, 2) for i in range(6)] == [0, 3, 0, 1, 2, 0]
    assert sum(bin(b).count("1") for b in raw) == 4


def test_status_list_endpoint_is_public_signed_and_cacheable(client, framework):
    org = OrganizationFactory()
    entry = allocate(org, 1)
    status = status_lists.as_credential_status(entry)
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListIndex"] == str(entry.index) and status["statusSize"] == 2
    url = path_of(status["statusListCredential"])
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    body = first.json()
    assert body["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert body["credentialSubject"]["statusPurpose"] == "message"
    # Its proof verifies against the issuer's published key.
    assert verify(body, fetch=client_fetch(client)).verified
    assert read_status(decode_list(body["credentialSubject"]["encodedList"]), entry.index, 2) == 0
    # Unchanged: 304 by ETag. Changed: a new ETag and the bit set.
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    status_lists.revoke(credential_id=entry.credential_id, reason="Issued in error")
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    encoded = second.json()["credentialSubject"]["encodedList"]
    assert read_status(decode_list(encoded), entry.index, 2) == 1


def test_a_forged_list_address_is_a_404(client, framework):
    org, other = OrganizationFactory(), OrganizationFactory()
    entry = allocate(org, 1)
    pk = entry.status_list_id
    for issuer, purpose, list_id in [
        (other.slug, "message", pk),
        ("attune", "message", pk),
        (org.slug, "revocation", pk),
        (org.slug, "message", pk + 1000),
    ]:
        url = reverse("records:status_list", args=[issuer, purpose, list_id])
        assert client.get(url).status_code == 404, url
    assert (
        client.get(f"/records/status/{org.slug}/message/99999999999999999999999/").status_code
        == 404
    )
    assert (
        client.post(reverse("records:status_list", args=[org.slug, "message", pk])).status_code
        == 405
    )
