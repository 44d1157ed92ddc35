"""Endorsements, applications and checklist ticks in a person's download, and erasure.

Granted endorsements and submitted applications are evidence the association keeps (under
the anonymous identity); the person leaves the public registry. What the person wrote that is
not evidence (notes on checklist ticks, a draft's supervisor) is cleared; drafts never sent
stay, emptied of those."""

from django.utils.translation import gettext_lazy

from lms.accounts.privacy import model_rows, register_section

from .models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    ApplicationSubmission,
    ChecklistTick,
    Endorsement,
    ReferenceRequest,
)


def export_endorsements(*, user):
    return model_rows(
        Endorsement.objects.filter(learner=user).select_related(
            "association", "category", "application"
        ),
        user=user,
    )


def export_applications(*, user):
    rows = model_rows(
        Application.objects.filter(learner=user).select_related(
            "association", "category", "endorsement"
        ),
        user=user,
    )
    by_pk = {row["id"]: row for row in rows}
    for submission in ApplicationSubmission.objects.filter(application__learner=user):
        by_pk[submission.application_id].setdefault("submissions", []).append(
            {
                "number": submission.number,
                "submitted_at": submission.submitted_at,
                "evaluation": submission.evaluation,
                "records": submission.records,
                "checklist": submission.checklist,
            }
        )
    for decision in ApplicationDecision.objects.filter(application__learner=user):
        by_pk[decision.application_id].setdefault("decisions", []).append(
            {
                "outcome": decision.get_outcome_display(),
                "decided_at": decision.decided_at,
                "comments": decision.comments,
                "requested_items": decision.requested_items,
            }
        )
    for reference in ReferenceRequest.objects.filter(application__learner=user):
        by_pk[reference.application_id].setdefault("references", []).append(
            {
                "name": reference.name,
                "relationship": reference.get_relationship_display(),
                "status": reference.get_status_display(),
            }
        )
    return rows


def export_checklist(*, user):
    return model_rows(
        ChecklistTick.objects.filter(learner=user).select_related("association"), user=user
    )


def erase_endorsement_data(*, user, anonymous_id):
    Endorsement.objects.filter(learner=user).update(listed_in_registry=False)
    ChecklistTick.objects.filter(learner=user).exclude(note="").update(note="")
    Application.objects.filter(learner=user, status=ApplicationStatus.DRAFT).update(
        supervisor_name="", supervisor_email=""
    )


def kept_by(*, user):
    ids = set(Endorsement.objects.filter(learner=user).values_list("association", flat=True))
    ids |= set(Application.objects.filter(learner=user).values_list("association", flat=True))
    return ids


def register() -> None:
    register_section(
        "endorsements",
        description=gettext_lazy("Endorsements you hold"),
        export=export_endorsements,
        erase=erase_endorsement_data,
        kept_by=kept_by,
    )
    register_section(
        "applications",
        description=gettext_lazy(
            "Your endorsement applications, as submitted, and their decisions"
        ),
        export=export_applications,
    )
    register_section(
        "checklist", description=gettext_lazy("Checklist items you ticked"), export=export_checklist
    )
