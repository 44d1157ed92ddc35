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
from lms.records.services.amendments import amend_record, revoke_record
from tests.credentials_verifier import client_fetch, verify
from tests.factories import UserFactory

from .credential_helpers import record_of, with_sw_and_registry
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


# ---------------------------------------------------------------------------------------------
# What any verifier sees: tests/credentials_verifier.py, written from the specs alone.


def test_the_independent_verifier_verifies_and_reads_the_status(client, credential):
    result = verify(json.loads(json.dumps(credential)), fetch=client_fetch(client))
    assert result.verified, result.errors
    assert result.status == "valid" and result.status_value == 0
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "message"
    assert credential["id"].startswith("urn:uuid:")


def test_the_independent_verifier_refuses_any_changed_field(client, credential):
    fetch = client_fetch(client)
    for path in [
        ("credentialSubject", "achievement", "name"),
        ("credentialSubject", "creditsEarned"),
        ("credentialSubject", "identifier", 0, "identityHash"),
        ("validFrom",),
        ("credentialStatus", "statusListIndex"),
        ("issuer", "name"),
    ]:
        result = verify(tampered(credential, path), fetch=fetch)
        assert not result.verified, f"changing {'/'.join(map(str, path))} still verified"
    other_key = copy.deepcopy(credential)
    other_key["proof"][0]["verificationMethod"] = other_key["proof"][0][
        "verificationMethod"
    ].replace("#key-", "#key-9")
    assert not verify(other_key, fetch=fetch).verified


def test_claimed_credits_are_in_the_credential_without_the_license_number(client, framework):
    record = issue()
    sw, _registry = with_sw_and_registry(record)
    credential = credential_for(TrainingRecord.objects.get(pk=record.pk))
    subject = credential["credentialSubject"]
    assert subject["creditsEarned"] == 3.5  # the training's clock hours
    descriptions = subject["achievement"]["resultDescription"]
    assert [d["name"] for d in descriptions] == [
        "Registry hours (contact hours)",
        "Social work CE (contact hours)",
    ]
    results = {r["resultDescription"]: r for r in subject["result"]}
    sw_result = results[f"{credential['evidence'][0]['id']}#credit-{sw.verification_id}"]
    assert sw_result["value"] == "3" and sw_result["status"] == "Completed"
    alignment = sw_result["alignment"][0]
    assert alignment["targetType"] == "ext:ContinuingEducationCredit"
    assert alignment["targetFramework"] == sw.awarding_body
    assert "category Ethics" in alignment["targetDescription"]
    assert "provider approval SW-CE-1187" in alignment["targetDescription"]
    assert "course approval SW-CE-C-7" in alignment["targetDescription"]
    assert "6801099999" not in json.dumps(credential)
    assert verify(credential, fetch=client_fetch(client)).verified


def test_a_revoked_record_sets_its_credential_bit(client, credential):
    record = record_of(credential)
    revoke_record(record=record, by=UserFactory(), reason="Issued in error")
    result = verify(credential, fetch=client_fetch(client))
    assert result.verified and result.status == "revoked" and result.status_value == 1
    assert verify_credential(credential).status == "revoked"


def test_amending_re_issues_and_the_old_credential_reads_superseded(client, credential):
    record = record_of(credential)
    amend_record(record=record, by=UserFactory(), reason="Title typo", title="Attachment, revised")
    fetch = client_fetch(client)
    old = verify(credential, fetch=fetch)
    assert old.verified and old.status == "superseded" and old.status_value == 2
    new = credential_for(TrainingRecord.objects.get(pk=record.pk))
    assert new["id"] != credential["id"]
    assert new["name"] == "Attachment, revised"
    assert verify(new, fetch=fetch).status == "valid"
    ours = verify_credential(credential)
    assert ours.status == "superseded" and ours.superseded_by == new["id"]
    # Downloading again gives the same credential; revoking then revokes both versions.
    assert canonical_json(credential_for(TrainingRecord.objects.get(pk=record.pk))) == (
        canonical_json(new)
    )
    revoke_record(record=record, by=UserFactory(), reason="Issued in error")
    assert verify(credential, fetch=fetch).status == "superseded and revoked"
    assert verify(new, fetch=fetch).status == "revoked"


def test_claiming_a_credit_later_supersedes_the_credential_without_it(client, credential):
    record = record_of(credential)
    with_sw_and_registry(record)
    newer = credential_for(TrainingRecord.objects.get(pk=record.pk))
    assert newer["id"] != credential["id"]
    assert verify(credential, fetch=client_fetch(client)).status == "superseded"


def test_verify_page_says_superseded_with_a_link(client, credential):
    record = record_of(credential)
    amend_record(record=record, by=UserFactory(), reason="Title typo", title="Attachment, revised")
    newer = credential_for(TrainingRecord.objects.get(pk=record.pk))
    url = reverse("records:verify_credential")
    answer = client.post(url, data=json.dumps(credential), content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["status"] == "superseded"
    assert answer.json()["superseded_by"] == newer["id"]
    page = client.post(url, {"credential": json.dumps(credential)})
    assert f"superseded by {newer['id']}".encode() in page.content
    assert credential["evidence"][0]["id"].encode() in page.content


def test_credentials_signed_before_the_proof_carried_its_context_still_verify(credential):
    """Downloads made before proofs carried the suite's @context hashed the document's
    context into the proof configuration; Attune's own check still accepts them."""
    from lms.records.credentials.keys import private_key
    from lms.records.credentials.proof import base58btc, hash_data
    from lms.records.models import IssuerKey

    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    options = {
        k: v for k, v in credential["proof"][0].items() if k not in {"proofValue", "@context"}
    }
    signature = private_key(IssuerKey.objects.get()).sign(
        hash_data(unsigned, {**options, "@context": unsigned["@context"]})
    )
    legacy = {**unsigned, "proof": {**options, "proofValue": "z" + base58btc(signature)}}
    assert verify_credential(legacy).verified


def test_claiming_and_withdrawing_re_issue_at_once(client, credential):
    from lms.records.models_credits import CreditClaim
    from lms.records.services.credits import claim_credit, withdraw_claim

    record = record_of(credential)
    _sw, registry = with_sw_and_registry(record)
    CreditClaim.objects.filter(credit=registry).update(withdrawn_at=None)
    with_both = credential_for(TrainingRecord.objects.get(pk=record.pk))
    withdraw_claim(learner=record.learner, credit=registry)
    fetch = client_fetch(client)
    # The learner has not downloaded again: the version a verifier holds already reads
    # superseded.
    assert verify(with_both, fetch=fetch).status == "superseded"
    claim_credit(learner=record.learner, credit=registry)
    current = credential_for(TrainingRecord.objects.get(pk=record.pk))
    assert current["id"] not in {with_both["id"], credential["id"]}
    assert len(current["credentialSubject"]["result"]) == 2
    assert verify(current, fetch=fetch).status == "valid"
