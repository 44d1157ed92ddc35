"""An independent verifier of the credentials Attune issues, written from the specs alone
(it imports nothing of Attune's): W3C Verifiable Credentials 2.0, Data Integrity with the
``eddsa-jcs-2022`` cryptosuite (W3C vc-di-eddsa, "Verify Proof"), Multikey
(W3C Controlled Identifiers) and W3C Bitstring Status List v1.0.

    result = verify(document, fetch=client_fetch(client))
    result.verified      # every proof checks against a key its issuer publishes
    result.errors        # why not, in words
    result.status        # "valid", or the status list's message ("revoked",
                         # "superseded", ...), or "unknown" when no status could be read
    result.status_value  # the entry's value in its list (None without credentialStatus)

``fetch(url) -> dict`` returns the JSON document at a URL (the issuer profile a
``verificationMethod`` names, the status list credential); ``client_fetch`` makes one from
Django's test client, ``live_fetch`` from a live server's base URL.
"""

import base64
import binascii
import datetime
import gzip
import hashlib
import json
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

Fetch = Callable[[str], dict]

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Multicodec prefix of an Ed25519 public key (varint 0xed).
_ED25519_PUB = b"\xed\x01"
# Bitstring Status List: a list is at least 16 KB uncompressed.
_MIN_LIST_BITS = 131_072


@dataclass
class Result:
    verified: bool = False
    errors: list[str] = field(default_factory=list)
    status: str = "unknown"
    status_value: int | None = None


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _B58:
            raise ValueError("not base58btc")
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _date(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _issuer_id(document: dict) -> str | None:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _public_key(proof: dict, document: dict, fetch: Fetch, errors: list[str]):
    """Retrieve the verification method (CID spec): dereference the controller document,
    find the method, check it is a Multikey of that controller, authorised for assertions,
    and that the credential's issuer is that controller."""
    method_id = proof.get("verificationMethod")
    if not isinstance(method_id, str) or "#" not in method_id:
        errors.append("verificationMethod is not a URL with a fragment")
        return None
    controller_url = _without_fragment(method_id)
    try:
        controller = fetch(controller_url)
    except Exception as exc:  # any failure to fetch is a failure to verify
        errors.append(f"cannot fetch {controller_url}: {exc}")
        return None
    if not isinstance(controller, dict) or controller.get("id") != controller_url:
        errors.append("the controller document's id is not the URL it was fetched from")
        return None
    methods = [m for m in controller.get("verificationMethod", []) if isinstance(m, dict)]
    method = next((m for m in methods if m.get("id") == method_id), None)
    if method is None:
        errors.append("the controller does not list the verificationMethod")
        return None
    assertion = controller.get("assertionMethod", [])
    if method_id not in assertion and method not in assertion:
        errors.append("the key is not an assertionMethod of its controller")
        return None
    if method.get("type") != "Multikey" or method.get("controller") != controller_url:
        errors.append("the verification method is not a Multikey of its controller")
        return None
    if _issuer_id(document) != controller_url:
        errors.append("the credential's issuer is not the key's controller")
        return None
    encoded = method.get("publicKeyMultibase", "")
    try:
        if not encoded.startswith("z"):
            raise ValueError("not base58btc multibase")
        raw = _b58decode(encoded[1:])
        if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
            raise ValueError("not an Ed25519 public key")
        return Ed25519PublicKey.from_public_bytes(raw[2:])
    except ValueError as exc:
        errors.append(f"publicKeyMultibase: {exc}")
        return None


def _check_proof(document: dict, proof: dict, fetch: Fetch, errors: list[str]) -> bool:
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if options.get("type") != "DataIntegrityProof" or options.get("cryptosuite") != (
        "eddsa-jcs-2022"
    ):
        errors.append("the proof is not DataIntegrityProof / eddsa-jcs-2022")
        return False
    if options.get("proofPurpose") != "assertionMethod":
        errors.append("the proof purpose is not assertionMethod")
        return False
    if "created" in options and _date(options["created"]) is None:
        errors.append("the proof's created is not a date-time")
        return False
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        errors.append("proofValue is not base58btc multibase")
        return False
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in options:
        context = options["@context"]
        if not isinstance(context, list) or unsecured.get("@context", [])[: len(context)] != (
            context
        ):
            errors.append("the document's @context does not start with the proof's")
            return False
        unsecured["@context"] = context
    public_key = _public_key(proof, document, fetch, errors)
    if public_key is None:
        return False
    try:
        hash_data = (
            hashlib.sha256(rfc8785.dumps(options)).digest()
            + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
        )
        public_key.verify(_b58decode(value[1:]), hash_data)
    except (InvalidSignature, ValueError, rfc8785.CanonicalizationError):
        errors.append("the signature does not match the document")
        return False
    return True


def _verify_proofs(document, fetch: Fetch, errors: list[str]) -> bool:
    if not isinstance(document, dict):
        errors.append("not a JSON object")
        return False
    proofs = document.get("proof")
    proofs = [proofs] if isinstance(proofs, dict) else proofs
    if not isinstance(proofs, list) or not proofs:
        errors.append("no proof")
        return False
    # A proof set: each proof secures the document without any proof.
    return all(isinstance(p, dict) and _check_proof(document, p, fetch, errors) for p in proofs)


def _check_validity(document: dict, errors: list[str]) -> bool:
    now = datetime.datetime.now(datetime.UTC)
    valid_from = document.get("validFrom")
    if valid_from is not None and (_date(valid_from) is None or _date(valid_from) > now):
        errors.append("validFrom is not a past date-time")
        return False
    valid_until = document.get("validUntil")
    if valid_until is not None and (_date(valid_until) is None or _date(valid_until) < now):
        errors.append("the credential expired (validUntil)")
        return False
    return True


def decode_list(encoded: str) -> bytes:
    """encodedList: multibase base64url (prefix "u", no padding) of the GZIP'd bitstring."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return gzip.decompress(compressed)
    except (binascii.Error, OSError, EOFError) as exc:
        raise ValueError(f"encodedList does not decode: {exc}") from exc


def read_status(bits: bytes, index: int, size: int) -> int:
    """The value at ``index``: ``size`` bits from position index*size, the first index being
    the left-most bit of the first byte, read most significant bit first."""
    value = 0
    for position in range(index * size, index * size + size):
        bit = (bits[position // 8] >> (7 - position % 8)) & 1
        value = (value << 1) | bit
    return value


def _status(document: dict, fetch: Fetch, result: Result) -> None:
    entry = document.get("credentialStatus")
    if entry is None:
        result.status = "valid"
        return
    errors = result.errors
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        errors.append("credentialStatus is not a BitstringStatusListEntry")
        return
    purpose = entry.get("statusPurpose")
    size = entry.get("statusSize", 1)
    index_text = entry.get("statusListIndex")
    if not isinstance(index_text, str) or not index_text.isdigit():
        errors.append("statusListIndex is not a non-negative integer string")
        return
    if not isinstance(size, int) or not 1 <= size <= 8:
        errors.append("statusSize is not 1 to 8")
        return
    messages = entry.get("statusMessage")
    if size > 1 and (not isinstance(messages, list) or len(messages) != 2**size):
        errors.append("statusSize over 1 needs a statusMessage for every value")
        return
    list_url = entry.get("statusListCredential")
    try:
        status_list = fetch(list_url)
    except Exception as exc:
        errors.append(f"cannot fetch the status list {list_url}: {exc}")
        return
    list_errors: list[str] = []
    if not _verify_proofs(status_list, fetch, list_errors):
        errors.extend(f"status list: {e}" for e in list_errors)
        return
    if "BitstringStatusListCredential" not in status_list.get("type", []):
        errors.append("the status list is not a BitstringStatusListCredential")
        return
    if _issuer_id(status_list) != _issuer_id(document):
        errors.append("the status list has another issuer than the credential")
        return
    if not _check_validity(status_list, errors):
        return
    subject = status_list.get("credentialSubject", {})
    if subject.get("type") != "BitstringStatusList" or subject.get("statusPurpose") != purpose:
        errors.append("the status list's purpose is not the entry's")
        return
    try:
        bits = decode_list(subject.get("encodedList"))
    except ValueError as exc:
        errors.append(str(exc))
        return
    if len(bits) * 8 < _MIN_LIST_BITS:
        errors.append("the status list is shorter than 131,072 bits")
        return
    index = int(index_text)
    if (index + 1) * size > len(bits) * 8:
        errors.append("statusListIndex is beyond the list")
        return
    value = read_status(bits, index, size)
    result.status_value = value
    if messages:
        wanted = hex(value)
        found = [m for m in messages if isinstance(m, dict) and m.get("status") == wanted]
        result.status = found[0].get("message", "unknown") if found else "unknown"
    elif purpose == "revocation":
        result.status = "revoked" if value else "valid"
    elif purpose == "suspension":
        result.status = "suspended" if value else "valid"
    else:
        result.status = "valid" if value == 0 else f"{purpose}:{value}"


def verify(document, *, fetch: Fetch) -> Result:
    """Verify the proof(s), the validity period and the status of ``document``."""
    result = Result()
    if not _verify_proofs(document, fetch, result.errors):
        return result
    if not _check_validity(document, result.errors):
        return result
    result.verified = True
    _status(document, fetch, result)
    return result


def client_fetch(client) -> Fetch:
    """Fetch absolute Attune URLs through Django's test client (no network)."""

    def fetch(url: str) -> dict:
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code != 200:
            raise ValueError(f"HTTP {response.status_code}")
        return json.loads(response.content)

    return fetch


def live_fetch(base_url: str) -> Fetch:
    """Fetch Attune URLs from a live server at ``base_url`` (whatever host they name)."""

    def fetch(url: str) -> dict:
        parts = urlsplit(url)
        target = base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
        with urllib.request.urlopen(target, timeout=10) as response:  # noqa: S310 - test server
            return json.loads(response.read())

    return fetch
