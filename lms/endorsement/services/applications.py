"""Writes on an application by the applicant: starting it, the draft (records left out or
added, the supervisor), submission, withdrawal and reopening.

An application is never filled in by listeners: its draft is computed from the learner's
records when read (``selectors.applications``) and frozen on submission. A deferred
application goes back to draft for the learner to add what was asked and submit again (a
new, numbered submission).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.competencies.models import EndorsementCategory
from lms.organizations.models import OrganizationKind
from lms.records.models import TrainingRecord
from lms.records.services.external import add_external_training

from ..exports import rsc_entry, training_entry
from ..models import (
    OPEN_STATUSES,
    Application,
    ApplicationExclusion,
    ApplicationKind,
    ApplicationStatus,
    ApplicationSubmission,
    ChecklistTick,
    Endorsement,
    ReferenceStatus,
)
from ..rules.snapshot import evaluation_as_json
from ..selectors.applications import application_draft
from .fees import require_fee_settled
from .review import auto_assign_reviewers
from .transitions import application_rules, locked_application, require_applicant, require_status


def start_application(*, learner, association, category, kind: str) -> Application:
    """Start (or return the open) application of ``learner`` to ``association`` for
    ``category``. A renewal needs an endorsement the learner holds there."""
    errors = {}
    if association is None or association.kind != OrganizationKind.ASSOCIATION:
        errors["association"] = [_("Choose an association.")]
    if not isinstance(category, EndorsementCategory):
        errors["category"] = [_("Choose an endorsement category.")]
    if kind not in ApplicationKind.values:
        errors["kind"] = [_("Choose an initial application or a renewal.")]
    if errors:
        raise ValidationError(errors)
    held = Endorsement.objects.filter(
        learner=learner, association=association, category=category
    ).first()
    if held is not None and held.is_revoked:
        # A revoked endorsement is not renewed: it is applied for again from the start.
        if kind == ApplicationKind.RENEWAL:
            raise ValidationError(
                _(
                    "Your %(code)s endorsement with %(association)s was revoked, so it cannot "
                    "be renewed: start a new initial application instead."
                )
                % {"code": category.code, "association": association}
            )
        held = None
    if kind == ApplicationKind.INITIAL and held is not None:
        raise ValidationError(
            _("You already hold %(code)s with %(association)s; start a renewal instead.")
            % {"code": category.code, "association": association}
        )
    if kind == ApplicationKind.RENEWAL and held is None:
        raise ValidationError(
            _(
                "You do not hold %(code)s with %(association)s yet: start an initial "
                "application (or record the endorsement you hold on your portfolio)."
            )
            % {"code": category.code, "association": association}
        )
    existing = Application.objects.filter(
        learner=learner,
        association=association,
        category=category,
        kind=kind,
        status__in=OPEN_STATUSES,
    ).first()
    if existing is not None:
        return existing
    application = Application(
        learner=learner, association=association, category=category, kind=kind, endorsement=held
    )
    application_rules(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # A double click started the same application a moment ago.
        return Application.objects.get(
            learner=learner,
            association=association,
            category=category,
            kind=kind,
            status__in=OPEN_STATUSES,
        )
    return application


def _draft_for(application, learner) -> Application:
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application,
        ApplicationStatus.DRAFT,
        action=pgettext("an application cannot be … now", "changed"),
    )
    return application


@transaction.atomic
def exclude_record(*, application, learner, record: TrainingRecord, reason: str):
    """Leave one of the learner's records out of the draft, saying why."""
    application = _draft_for(application, learner)
    reason = (reason or "").strip()
    if record.learner_id != learner.pk:
        raise ValidationError({"record": [_("That is not one of your records.")]})
    if not reason:
        raise ValidationError({"reason": [_("Say why you leave this record out.")]})
    exclusion, _created = ApplicationExclusion.objects.update_or_create(
        application=application, record=record, defaults={"reason": reason[:300]}
    )
    return exclusion


@transaction.atomic
def include_record(*, application, learner, record: TrainingRecord) -> bool:
    application = _draft_for(application, learner)
    deleted, _counts = ApplicationExclusion.objects.filter(
        application=application, record=record
    ).delete()
    return bool(deleted)


@transaction.atomic
def add_outside_training(*, application, learner, **fields):
    """Training taken elsewhere, added from the application page: it becomes one of the
    learner's records (self-reported), so it is in every application and the portfolio."""
    _draft_for(application, learner)
    return add_external_training(learner=learner, **fields)


@transaction.atomic
def set_supervisor(*, application, learner, name: str, email: str) -> Application:
    """The applicant's current supervisor (never assigned to review the application)."""
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application, *OPEN_STATUSES, action=pgettext("an application cannot be … now", "changed")
    )
    name, email = (name or "").strip(), (email or "").strip()
    if bool(name) != bool(email) or (email and "@" not in email):
        raise ValidationError({"supervisor_email": [_("Give your supervisor's name and e-mail.")]})
    if email and email.lower() == learner.email.lower():
        raise ValidationError({"supervisor_email": [_("You cannot be your own supervisor.")]})
    application.supervisor_name, application.supervisor_email = name[:160], email
    application.save(update_fields=["supervisor_name", "supervisor_email", "updated_at"])
    return application


def _snapshot_row(entry) -> dict:
    line = entry.line
    row = rsc_entry(line) if line.is_rsc else training_entry(line)
    return {
        "pk": line.record.pk,
        "is_rsc": line.is_rsc,
        "counted": entry.counted,
        "title": line.facts.title,
        **row,
    }


@transaction.atomic
def submit_application(*, application, learner) -> ApplicationSubmission:
    """Freeze the draft and send it for review. The readiness check must pass; rules the rule
    set lets be open (the exam, say) are named on the submission."""
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application,
        ApplicationStatus.DRAFT,
        action=pgettext("an application cannot be … now", "submitted"),
    )
    require_fee_settled(application=application)
    draft = application_draft(application=application)
    blocking, allowed = draft.open_items
    if blocking:
        raise ValidationError([_("Not ready to submit yet:"), *blocking])
    now = timezone.now()
    number = application.submissions.count() + 1
    checklist = [
        {
            "item": r.rule.checklist_item,
            "label": r.rule.label,
            "met": r.met,
            "completed_on": r.tick.completed_on.isoformat() if r.tick else None,
            "tick_id": r.tick.tick_id if r.tick else None,
            "has_evidence": bool(r.tick and r.tick.has_evidence),
        }
        for r in draft.evaluation.results
        if r.is_checklist
    ]
    submission = ApplicationSubmission.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        requirement_set=draft.requirement_set,
        evaluation=evaluation_as_json(draft.evaluation),
        records=[_snapshot_row(e) for e in draft.training + draft.rsc],
        checklist=checklist,
        exclusions=[
            {"pk": e.record.pk, "title": e.facts.title, "reason": e.exclusion.reason}
            for e in draft.excluded
        ],
        open_items=allowed,
    )
    tick_ids = [row["tick_id"] for row in checklist if row["tick_id"]]
    submission.ticks.set(ChecklistTick.objects.filter(pk__in=tick_ids, learner=learner))
    application.status, application.submitted_at = ApplicationStatus.SUBMITTED, now
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    auto_assign_reviewers(application=application)
    return submission


@transaction.atomic
def withdraw_application(*, application, learner) -> Application:
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application, *OPEN_STATUSES, action=pgettext("an application cannot be … now", "withdrawn")
    )
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    application.references.filter(status=ReferenceStatus.INVITED).update(nonce="")
    return application


@transaction.atomic
def reopen_application(*, application, learner) -> Application:
    """A deferred application goes back to draft: the learner adds what was asked for and
    submits again."""
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application,
        ApplicationStatus.DEFERRED,
        action=pgettext("an application cannot be … now", "reopened"),
    )
    application.status = ApplicationStatus.DRAFT
    application.save(update_fields=["status", "updated_at"])
    return application
