"""Attune's eddsa-jcs-2022 signing reproduces the W3C test vectors exactly (canonical
forms, hashes, signature), and its verification accepts the W3C signed document."""

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.records.credentials.proof import (
    base58btc_decode,
    canonical_json,
    check_proof,
    create_proof,
    hash_data,
    public_key_from_multibase,
    sign_document,
)

VECTORS = Path(__file__).parent / "vectors" / "eddsa-jcs-2022"


def text(name: str) -> str:
    return (VECTORS / name).read_text().strip()


def document(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())


def w3c_private_key() -> Ed25519PrivateKey:
    encoded = document("keyPair.json")["privateKeyMultibase"]
    raw = base58btc_decode(encoded[1:])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def proof_options() -> dict:
    options = document("proofConfigJCS.json")
    options.pop("@context")  # the suite adds the document's own
    return options


def test_canonical_document_and_hashes_match():
    unsigned = document("unsigned.json")
    proof_config = document("proofConfigJCS.json")
    assert canonical_json(unsigned).decode() == text("canonDocJCS.txt")
    assert canonical_json(proof_config).decode() == text("proofCanonJCS.txt")
    assert hashlib.sha256(canonical_json(unsigned)).hexdigest() == text("docHashJCS.txt")
    assert hashlib.sha256(canonical_json(proof_config)).hexdigest() == text("proofHashJCS.txt")
    assert hash_data(unsigned, proof_config).hex() == text("combinedHashJCS.txt")


def test_signing_gives_the_w3c_proof_value():
    unsigned = document("unsigned.json")
    proof = create_proof(unsigned, private_key=w3c_private_key(), options=proof_options())
    assert base58btc_decode(proof["proofValue"][1:]).hex() == text("sigHexJCS.txt")
    assert proof["proofValue"] == text("sigBTC58JCS.txt")
    assert proof == document("signedJCS.json")["proof"]


def test_signed_document_matches_and_verifies():
    signed = sign_document(
        document("unsigned.json"), private_key=w3c_private_key(), options=proof_options()
    )
    expected = document("signedJCS.json")
    assert signed["proof"] == [expected["proof"]]
    assert {k: v for k, v in signed.items() if k != "proof"} == {
        k: v for k, v in expected.items() if k != "proof"
    }
    public = public_key_from_multibase(document("keyPair.json")["publicKeyMultibase"])
    assert check_proof(expected, expected["proof"], public)
    changed = {**expected, "name": "Alumni Credential!"}
    assert not check_proof(changed, expected["proof"], public)
