import copy
import json

import pytest
from django.urls import reverse

from lms.records.credentials import (
    canonical_json,
    credential_for,
    issuer_profile,
    verify_credential,
)
from lms.records.models import IssuerKey, TrainingRecord
from lms.records.services.amendments import revoke_record
from tests.factories import UserFactory

from .factories import issue

pytestmark = pytest.mark.django_db


def leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, (*path, index))
    else:
        yield path


def tampered(document, path):
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    value = target[path[-1]]
    if isinstance(value, bool):
        target[path[-1]] = not value
    elif isinstance(value, int | float):
        target[path[-1]] = value + 1
    else:
        target[path[-1]] = f"{value}x"
    return changed


@pytest.fixture
def credential(framework):
    record = issue()
    return credential_for(TrainingRecord.objects.get(pk=record.pk))


def test_credential_is_an_obv3_verifiable_credential(credential):
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://www.w3.org/ns/credentials/v2" in credential["@context"]
    assert credential["issuer"]["id"].endswith(
        "/records/issuers/" + credential["issuer"]["id"].rstrip("/").rsplit("/", 1)[-1] + "/"
    )
    # Open Badges 3.0 writes the proof as an array (a proof set of one).
    assert [p["type"] for p in credential["proof"]] == ["DataIntegrityProof"]
    assert credential["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"
    alignment = credential["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetCode"] for a in alignment] == ["TF", "REF"]


def test_signature_verifies_after_a_json_round_trip(credential):
    document = json.loads(json.dumps(credential))
    result = verify_credential(document)
    assert result.verified, result.errors
    assert result.status == "valid"


def test_any_single_changed_field_fails_verification(credential):
    paths = list(leaf_paths(credential))
    assert len(paths) > 40
    for path in paths:
        result = verify_credential(tampered(credential, path))
        assert not result.verified, f"changing {'/'.join(map(str, path))} still verified"


def test_added_or_removed_fields_fail(credential):
    extra = copy.deepcopy(credential)
    extra["credentialSubject"]["achievement"]["name"] += ""
    extra["credentialSubject"]["extra"] = "x"
    assert not verify_credential(extra).verified
    missing = copy.deepcopy(credential)
    del missing["evidence"]
    assert not verify_credential(missing).verified
    assert not verify_credential({"no": "proof"}).verified


def test_credential_is_deterministic_and_key_is_encrypted(credential, framework):
    record = TrainingRecord.objects.get(
        verification_id=credential["evidence"][0]["id"].rstrip("/").rsplit("/", 1)[-1]
    )
    again = credential_for(record)
    assert canonical_json(again) == canonical_json(credential)
    key = IssuerKey.objects.get()
    raw = bytes(key.encrypted_private_key)
    assert len(raw) > 64  # a Fernet token, not a 32-byte raw key
    profile = issuer_profile(organization=record.provider_organization)
    assert profile["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def test_revoked_record_reports_revoked(credential):
    record = TrainingRecord.objects.get(
        verification_id=credential["evidence"][0]["id"].rstrip("/").rsplit("/", 1)[-1]
    )
    revoke_record(record=record, by=UserFactory(), reason="Issued in error")
    result = verify_credential(credential)
    assert result.verified
    assert result.status == "revoked"


def test_verify_endpoint(client, credential):
    url = reverse("records:verify_credential")
    ok = client.post(url, data=json.dumps(credential), content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["verified"] is True
    bad = tampered(credential, ("credentialSubject", "achievement", "name"))
    refused = client.post(url, data=json.dumps(bad), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["verified"] is False
    page = client.post(url, {"credential": json.dumps(credential)})
    assert b"Signature verified" in page.content
