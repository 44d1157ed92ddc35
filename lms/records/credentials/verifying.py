"""Attune's own check of a credential it issued: the proof against the issuer's key in our
database, then the credential's status (valid, revoked, superseded by a newer one)."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .. import status_lists
from ..links import verification_url
from ..models import IssuerKey, RecordStatus, TrainingRecord
from ..models_status import CredentialStatusEntry
from .keys import issuer_url, public_key_multibase
from .proof import CRYPTOSUITE, PROOF_TYPE, check_proof, proofs_of, public_key_from_multibase

_METHOD = re.compile(r"^(?P<issuer>.+)#key-(?P<pk>\d+)$")
_RECORD_ID = re.compile(r"/verify/(?P<id>[0-9a-f-]{36})/$")
_RECORD_SUBJECT = re.compile(r"^record:(?P<id>[0-9a-f-]{36})$")


@dataclass
class Verification:
    verified: bool = False
    errors: list[str] = field(default_factory=list)
    record: TrainingRecord | None = None
    entry: CredentialStatusEntry | None = None

    @property
    def status(self) -> str:
        if not self.verified:
            return "invalid"
        if self.entry is not None and self.entry.revoked_at:
            return "revoked"
        if self.record is not None and self.record.status == RecordStatus.REVOKED:
            return "revoked"
        if self.entry is not None and self.entry.superseded_by_id:
            return "superseded"
        return "valid"

    @property
    def superseded_by(self) -> str:
        """The id of the credential that replaced this one, if any."""
        if self.entry is None or self.entry.superseded_by is None:
            return ""
        return self.entry.superseded_by.credential_id

    def as_json(self) -> dict:
        data = {"verified": self.verified, "status": self.status, "errors": self.errors}
        if self.verified and self.superseded_by:
            data["superseded_by"] = self.superseded_by
        if self.record is not None and self.verified:
            data["record"] = {
                "verification_url": verification_url(self.record),
                "revoked": self.record.status == RecordStatus.REVOKED,
                "revocation_reason": self.record.revocation_reason,
                "amendments": self.record.amendments.count(),
            }
        return data


def _signature_ok(document: dict, proof: dict, key: IssuerKey) -> bool:
    public = public_key_from_multibase(public_key_multibase(key))
    if check_proof(document, proof, public):
        return True
    if "@context" not in proof:
        # Credentials Attune signed before it wrote the suite's proof @context hashed the
        # document's @context into the proof configuration; they stay verifiable.
        return check_proof(document, {**proof, "@context": document.get("@context")}, public)
    return False


def verify_credential(document) -> Verification:
    """Check a credential's proof against the issuer's key. Any changed field fails."""
    result = Verification()
    proofs = proofs_of(document)
    if len(proofs) != 1:
        result.errors.append(_("The document has no proof."))
        return result
    proof = proofs[0]
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        result.errors.append(
            _("The proof is not a DataIntegrityProof with %(suite)s.") % {"suite": CRYPTOSUITE}
        )
    if proof.get("proofPurpose") != "assertionMethod":
        result.errors.append(_("The proof purpose is not assertionMethod."))
    match = _METHOD.match(str(proof.get("verificationMethod", "")))
    key = (
        IssuerKey.objects.select_related("organization").filter(pk=match["pk"]).first()
        if match
        else None
    )
    if key is None or match["issuer"] != issuer_url(key.organization):
        result.errors.append(_("The verification method is not a known Attune issuer key."))
    else:
        issuer = document.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id != match["issuer"]:
            result.errors.append(_("The credential's issuer does not control the signing key."))
    if result.errors:
        return result
    if not _signature_ok(document, proof, key):
        result.errors.append(_("The signature does not match: the credential was changed."))
        return result
    result.verified = True
    credential_id = str(document.get("id", ""))
    result.entry = status_lists.entry_for(credential_id=credential_id)
    found = _RECORD_ID.search(credential_id)
    if result.entry is not None:
        found = _RECORD_SUBJECT.match(result.entry.subject_key)
    if found:
        result.record = (
            TrainingRecord.objects.filter(verification_id=found["id"])
            .prefetch_related("amendments")
            .first()
        )
    return result
