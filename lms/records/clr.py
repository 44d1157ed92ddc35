"""A learner's training records as one Comprehensive Learner Record 2.0 credential.

The ``ClrCredential`` (CLR 2.0, https://www.imsglobal.org/spec/clr/v2p0/) wraps the records'
own signed Open Badges credentials exactly as their providers issue them: each one in
``credentialSubject.verifiableCredential`` still verifies on its own, with its own status
entry, whoever signed the CLR around it. ``achievement`` lists what they were awarded for.
The CLR is signed in Attune's name, or in the name of an association that provided one of
the records when the learner asks; it gets its own status entry so it can be revoked too.

Only valid platform completions go in (the records Attune saw happen and issues Open
Badges for); a chosen record that is not the learner's, not a platform completion or
revoked refuses the whole CLR, with a message naming it, and nothing is signed.

``ClrSubject.association`` (relations between the achievements, e.g. ``isPartOf``) is left
out: Attune's records are separate trainings, none part of another.
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.organizations.models import Organization, OrganizationKind

from . import status_lists
from .credentials import credential_for, iso_datetime, issuer_reference, sign_as
from .credentials.identity import holder_identifiers, identity_salt
from .facts import facts_for
from .models import PlatformCompletion, RecordStatus, TrainingRecord
from .models_status import StatusSubject
from .selectors.records import with_facts

CLR_CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CLR_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


@dataclass
class ClrChoice:
    """What the learner may put in a CLR: their valid platform completions, and (to say why
    they are missing) their revoked ones."""

    records: list[PlatformCompletion] = field(default_factory=list)
    revoked: list[PlatformCompletion] = field(default_factory=list)
    issuers: list[Organization] = field(default_factory=list)


def clr_choice(*, learner) -> ClrChoice:
    """The learner's platform completions, newest first, and the associations that may sign
    their CLR (those that provided one of the records). Three queries and the prefetches."""
    rows = list(
        with_facts(
            PlatformCompletion.objects.filter(learner=learner)
            .select_related("provider_organization")
            .order_by("-completed_on", "-id")
        )
    )
    choice = ClrChoice(
        records=[r for r in rows if r.status == RecordStatus.VALID],
        revoked=[r for r in rows if r.status != RecordStatus.VALID],
    )
    seen = {}
    for record in choice.records:
        organization = record.provider_organization
        if organization is not None and organization.kind == OrganizationKind.ASSOCIATION:
            seen.setdefault(organization.pk, organization)
    choice.issuers = sorted(seen.values(), key=lambda o: o.name)
    return choice


def chosen_records(*, learner, verification_ids=None) -> list[PlatformCompletion]:
    """The records for the CLR: every valid platform completion when ``verification_ids`` is
    None, else exactly those, each checked. Raises ValidationError naming what is refused."""
    choice = clr_choice(learner=learner)
    if verification_ids is None:
        if not choice.records:
            raise ValidationError(
                _("You have no valid training completed through Attune to put in a CLR yet.")
            )
        return choice.records
    wanted = []
    for value in verification_ids:
        try:
            wanted.append(uuid.UUID(str(value)))
        except ValueError:
            raise ValidationError(_("One of the chosen records is not one of yours.")) from None
    if not wanted:
        raise ValidationError(_("Choose at least one record for the CLR."))
    valid = {r.verification_id: r for r in choice.records}
    revoked = {r.verification_id: r for r in choice.revoked}
    refused = []
    for verification_id in wanted:
        if verification_id in valid:
            continue
        if verification_id in revoked:
            refused.append(
                _("“%(title)s” was revoked, so it cannot go in a CLR.")
                % {"title": facts_for(revoked[verification_id]).title}
            )
        elif TrainingRecord.objects.filter(
            learner=learner, verification_id=verification_id
        ).exists():
            refused.append(
                _(
                    "Only training completed through Attune goes in a CLR; your other "
                    "records are on your transcript."
                )
            )
        else:
            refused.append(_("One of the chosen records is not one of yours."))
    if refused:
        raise ValidationError(sorted(set(refused)))
    order = {r.verification_id: i for i, r in enumerate(choice.records)}
    return sorted((valid[v] for v in set(wanted)), key=lambda r: order[r.verification_id])


@transaction.atomic
def issue_clr(
    *, learner, records: list[PlatformCompletion], issuer: Organization | None, partial: bool
) -> dict:
    """The signed ClrCredential of ``records`` (the learner's own, from ``chosen_records``)."""
    if issuer is not None and issuer not in clr_choice(learner=learner).issuers:
        raise ValidationError(
            _("Only Attune, or an association that provided one of your records, can sign it.")
        )
    credentials = [credential_for(record) for record in records]
    clr_uuid = uuid.uuid4()
    credential_id = f"urn:uuid:{clr_uuid}"
    entry = status_lists.allocate(
        organization=issuer,
        credential_id=credential_id,
        subject_kind=StatusSubject.CLR,
        subject_key=f"clr:{learner.pk}",
    )
    now = timezone.now()
    count = len(credentials)
    # The credential's own words are English, like the records' credentials inside it.
    description = (
        f"{count} training{'s' if count != 1 else ''} completed through Attune, each with "
        "its provider's own signed Open Badges credential."
    )
    name = "Comprehensive Learner Record"
    if not learner.is_erased and learner.get_full_name():
        name = f"{name}: {learner.get_full_name()}"
    document = {
        "@context": list(CLR_CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer_reference(issuer),
        "validFrom": iso_datetime(now),
        "name": name,
        "description": description,
        "partial": partial,
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": holder_identifiers(
                email=learner.email,
                salt=identity_salt(clr_uuid),
                name=None if learner.is_erased else learner.get_full_name() or learner.email,
            ),
            "achievement": [c["credentialSubject"]["achievement"] for c in credentials],
            "verifiableCredential": credentials,
        },
        "credentialSchema": [dict(CLR_SCHEMA)],
        "credentialStatus": status_lists.as_credential_status(entry),
    }
    return sign_as(document, organization=issuer, created=iso_datetime(now))
