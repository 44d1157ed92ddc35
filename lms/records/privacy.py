"""Training records and RSC sessions in a person's download, and what erasure does to them.

Issued records are evidence the issuing association keeps: they stay, under the anonymous
identity, and still verify (the public page withholds the name). On RSC sessions, the topic
the person wrote and the supervisor's co-signing comment are cleared (see ``erase_records``);
a training's topic and uploaded evidence files are part of the record and stay."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from lms.accounts.privacy import register_section

from . import documents
from .facts import facts_for
from .models import (
    CreditClaim,
    RecordAmendment,
    RecordCredit,
    RecordEvent,
    RSCSession,
    TrainingRecord,
)
from .selectors.records import learner_records, with_facts
from .selectors.transcript import transcript_for
from .views.certificates import CERTIFIED_KINDS


def _record_row(record) -> dict:
    facts = facts_for(record)
    return {
        "verification_id": record.verification_id,
        "kind": record.polymorphic_ctype.model,
        "title": facts.title,
        "topic": facts.topic,
        "provider": facts.provider_name,
        "completed_on": facts.completed_on,
        "duration_hours": facts.duration_hours,
        "delivery_format": facts.delivery_format_label,
        "area_hours": {area.code: area.hours for area in facts.area_hours},
        "facilitators": facts.facilitator_names,
        "verification_tier": record.get_verification_tier_display(),
        "status": record.get_status_display(),
        "revoked_at": record.revoked_at,
        "revocation_reason": record.revocation_reason,
        "created_at": record.created_at,
        "amendments": [
            {"at": a.amended_at, "reason": a.reason, "changes": a.changes}
            for a in RecordAmendment.objects.filter(record_id=record.pk)
        ],
        "events": [
            {"at": e.at, "kind": e.get_kind_display()}
            for e in RecordEvent.objects.filter(record_id=record.pk)
        ],
    }


def export_records(*, user) -> list[dict]:
    return [_record_row(r) for r in learner_records(learner=user).exclude(rscsession__isnull=False)]


def export_rsc_sessions(*, user) -> list[dict]:
    return [
        {
            **_record_row(session),
            "session_format": session.get_session_format_display(),
            "supervisor_name": session.supervisor_name,
            "supervisor_email": session.supervisor_email,
            "supervisor_endorsement": session.supervisor_endorsement,
            "cosign_status": session.get_cosign_status_display(),
            "cosigned_at": session.cosigned_at,
            "cosign_comment": session.cosign_comment,
        }
        for session in with_facts(RSCSession.objects.filter(learner=user)).select_related(
            "polymorphic_ctype"
        )
    ]


def document_files(*, user):
    """The transcript, and a certificate for each valid record that has one."""
    yield "transcript.pdf", documents.transcript_pdf(transcript_for(learner=user))
    records = with_facts(TrainingRecord.objects.filter(learner=user)).select_related(
        "learner", "provider_organization"
    )
    for record in records:
        if isinstance(record, CERTIFIED_KINDS) and not record.is_revoked:
            name = slugify(facts_for(record).title)[:50] or "training"
            yield (
                f"certificate-{name}-{str(record.verification_id)[:8]}.pdf",
                documents.certificate_pdf(record),
            )


def erase_records(*, user, anonymous_id) -> None:
    """An RSC session's evidence (date, hours, format, supervisor, co-signature) stays; the
    topic the person wrote about their sessions (often their caseload) and the co-signer's
    remark about them go. No credential is signed over an RSC session, so none breaks."""
    for session in RSCSession.objects.filter(learner=user).exclude(cosign_comment=""):
        session.cosign_comment = ""
        session.save(update_fields=["cosign_comment"])
    sessions = TrainingRecord.objects.non_polymorphic().filter(
        learner=user, rscsession__isnull=False
    )
    # Past the issued-record guard (topic is fixed at issue) for this one lawful change.
    models.QuerySet.update(sessions.exclude(topic=""), topic="")


def export_credits(*, user) -> list[dict]:
    """Each credit the learner's records carry, earned or not, with their claim of it."""
    rows = []
    credits = RecordCredit.objects.filter(record__learner=user).select_related("record", "claim")
    for credit in credits.order_by("record__completed_on", "kind_name"):
        claim = getattr(credit, "claim", None)
        rows.append(
            {
                "verification_id": credit.verification_id,
                "record": credit.record.verification_id,
                "kind": credit.kind_name,
                "awarding_body": credit.awarding_body,
                "amount": credit.amount,
                "unit": credit.get_unit_display(),
                "contact_hours": credit.contact_hours,
                "category": credit.get_category_display(),
                "earned": credit.earned,
                "not_earned_reason": credit.not_earned_reason,
                "best_score_percent": credit.best_score_percent,
                "attendance_percent": credit.attendance_percent,
                "claim": None
                if claim is None
                else {
                    "license_number": claim.license_number,
                    "license_state": claim.license_jurisdiction,
                    "claimed_at": claim.claimed_at,
                    "withdrawn_at": claim.withdrawn_at,
                },
            }
        )
    return rows


def erase_credit_claims(*, user, anonymous_id) -> None:
    """The credits and claims stay with the records they belong to (the association's
    evidence); the license numbers the person typed go."""
    CreditClaim.objects.filter(learner=user).exclude(
        license_number="", license_jurisdiction=""
    ).update(license_number="", license_jurisdiction="")


def kept_by(*, user):
    return TrainingRecord.objects.filter(learner=user).values_list(
        "provider_organization", flat=True
    )


def register() -> None:
    register_section(
        "training_records",
        description=gettext_lazy("Your training records, with their amendments and history"),
        export=export_records,
        files=document_files,
        kept_by=kept_by,
    )
    register_section(
        "credits",
        description=gettext_lazy("Continuing-education credit on your records, and your claims"),
        export=export_credits,
        erase=erase_credit_claims,
    )
    register_section(
        "rsc_sessions",
        description=gettext_lazy("Your reflective supervision/consultation session log"),
        export=export_rsc_sessions,
        erase=erase_records,
    )
