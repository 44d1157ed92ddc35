"""Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite (W3C vc-di-eddsa).

Signing follows the suite's "Create Proof" algorithm:

1. the proof is the proof options plus the document's ``@context``;
2. hash = SHA-256(JCS(proof)) || SHA-256(JCS(document without proof));
3. ``proofValue`` = "z" + base58btc(Ed25519 signature of the hash).

JCS is the JSON Canonicalization Scheme (RFC 8785), done by the ``rfc8785`` package.
Ed25519 signatures are deterministic, so the same document, options and key always give
the same bytes. Nothing here knows about records or Django: the W3C test vectors run
through exactly this code.
"""

import datetime
import hashlib
from decimal import Decimal

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
ED25519_MULTICODEC = b"\xed\x01"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


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


def json_number(value: Decimal | int | float) -> int | float:
    """A number as JCS prints it: integral values as integers, others as the shortest
    float (hours and credits have at most two decimals, which a float round-trips)."""
    number = float(value)
    return int(number) if number.is_integer() else number


def canonical_json(value) -> bytes:
    """RFC 8785 canonical form. Raises ``rfc8785.CanonicalizationError`` (a ValueError) for
    values JSON cannot carry exactly, e.g. integers beyond 2**53 or NaN."""
    return rfc8785.dumps(value)


def iso_datetime(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_data(document: dict, proof_config: dict) -> bytes:
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def proof_options(*, verification_method: str, created: str) -> dict:
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def create_proof(document: dict, *, private_key: Ed25519PrivateKey, options: dict) -> dict:
    """The proof (with ``proofValue``) over ``document``, which must not carry a proof."""
    proof = dict(options)
    if "@context" in document:
        proof["@context"] = document["@context"]
    signature = private_key.sign(hash_data(document, proof))
    return {**proof, "proofValue": "z" + base58btc(signature)}


def sign_document(document: dict, *, private_key: Ed25519PrivateKey, options: dict) -> dict:
    """``document`` with a one-proof set, as Open Badges 3.0 wants ``proof`` (an array)."""
    return {**document, "proof": [create_proof(document, private_key=private_key, options=options)]}


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("Not a base58btc multibase key.")
    raw = base58btc_decode(value[1:])
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("Not an Ed25519 multikey.")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def proofs_of(document) -> list[dict]:
    proof = document.get("proof") if isinstance(document, dict) else None
    if isinstance(proof, dict):
        return [proof]
    if isinstance(proof, list) and proof and all(isinstance(p, dict) for p in proof):
        return proof
    return []


def check_proof(document: dict, proof: dict, public_key: Ed25519PublicKey) -> bool:
    """The suite's "Verify Proof" for one proof of ``document`` (a proof set member)."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    value = proof.get("proofValue")
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        return False
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    if "@context" in options:
        context = options["@context"]
        document_context = unsigned.get("@context")
        if not isinstance(context, list) or not isinstance(document_context, list):
            return False
        if document_context[: len(context)] != context:
            return False
        unsigned["@context"] = context
    try:
        public_key.verify(base58btc_decode(value[1:]), hash_data(unsigned, options))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
