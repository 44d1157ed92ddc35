"""Writes on endorsement applications: the draft, references, submission, review, decisions
and renewals. Keyword-only arguments. One function per status transition, each checking the
status it starts from under a row lock, so a double submit or two reviewers deciding at once
change nothing twice. Bad input raises ``ValidationError`` with nothing saved.

Statuses: draft → submitted → in review → approved / approved to sit the exam / deferred /
on hold; withdrawn from any open status. A deferred application goes back to draft for the
learner to add what was asked and submit again (a new, numbered submission); an application
on hold goes back into review; an exam result ends an approved-to-sit-the-exam application.
"""

import datetime
import logging
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lms.competencies.models import EndorsementCategory
from lms.organizations.models import OrganizationKind, Role
from lms.organizations.selectors import user_roles
from lms.records.links import public_url
from lms.records.models import TrainingRecord
from lms.records.services.external import add_external_training

from . import rules, selectors
from .exports import rsc_entry, training_entry
from .models import (
    ACTIVE_REFERENCES,
    OPEN_STATUSES,
    UNDER_REVIEW,
    Application,
    ApplicationDecision,
    ApplicationExclusion,
    ApplicationKind,
    ApplicationStatus,
    ApplicationSubmission,
    AreaAssessment,
    ChecklistTick,
    Endorsement,
    EndorsementSource,
    EvidenceMark,
    RaterRelationship,
    RatingScale,
    ReferenceRating,
    ReferenceRequest,
    ReferenceStatus,
    RenewalReminder,
    RequirementSet,
    Review,
    ReviewAssignment,
    ReviewOutcome,
)
from .services import renewal_due_for
from .signals import application_decided

logger = logging.getLogger(__name__)

REFERENCE_SALT = "lms.endorsement.reference"


class WrongStatusError(ValidationError):
    """The application is not in a status this step starts from."""


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("learner", "association", "category", "endorsement")
        .get(pk=application.pk)
    )


def _require(application: Application, *statuses, action: str) -> None:
    if application.status not in statuses:
        raise WrongStatusError(
            f"This application is {application.get_status_display().lower()}; "
            f"it cannot be {action} now."
        )


def _own(application: Application, learner) -> None:
    if application.learner_id != learner.pk:
        raise PermissionError("Only the applicant can change their application.")


def _mail(subject: str, template: str, context: dict, to: str) -> None:
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


def _rules_of(application: Application) -> RequirementSet:
    found = (
        RequirementSet.objects.filter(
            association=application.association,
            category=application.category,
            kind=application.kind,
        )
        .in_effect(timezone.localdate())
        .first()
    )
    if found is None:
        raise ValidationError(
            f"{application.association} has no {application.get_kind_display().lower()} rules "
            f"for {application.category.code} in effect today."
        )
    return found


# ---------------------------------------------------------------------------------------------
# Starting and drafting


def start_application(*, learner, association, category, kind: str) -> Application:
    """Start (or return the open) application of ``learner`` to ``association`` for
    ``category``. A renewal needs an endorsement the learner holds there."""
    errors = {}
    if association is None or association.kind != OrganizationKind.ASSOCIATION:
        errors["association"] = ["Choose an association."]
    if not isinstance(category, EndorsementCategory):
        errors["category"] = ["Choose an endorsement category."]
    if kind not in ApplicationKind.values:
        errors["kind"] = ["Choose an initial application or a renewal."]
    if errors:
        raise ValidationError(errors)
    held = Endorsement.objects.filter(
        learner=learner, association=association, category=category
    ).first()
    if kind == ApplicationKind.INITIAL and held is not None:
        raise ValidationError(
            f"You already hold {category.code} with {association}; start a renewal instead."
        )
    if kind == ApplicationKind.RENEWAL and held is None:
        raise ValidationError(
            f"You do not hold {category.code} with {association} yet: start an initial "
            "application (or record the endorsement you hold on your portfolio)."
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
    _rules_of(application)
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
    _own(application, learner)
    application = _locked(application)
    _require(application, ApplicationStatus.DRAFT, action="changed")
    return application


@transaction.atomic
def exclude_record(*, application, learner, record: TrainingRecord, reason: str):
    """Leave one of the learner's records out of the draft, saying why."""
    application = _draft_for(application, learner)
    reason = (reason or "").strip()
    if record.learner_id != learner.pk:
        raise ValidationError({"record": ["That is not one of your records."]})
    if not reason:
        raise ValidationError({"reason": ["Say why you leave this record out."]})
    exclusion, _ = ApplicationExclusion.objects.update_or_create(
        application=application, record=record, defaults={"reason": reason[:300]}
    )
    return exclusion


@transaction.atomic
def include_record(*, application, learner, record: TrainingRecord) -> bool:
    application = _draft_for(application, learner)
    deleted, _ = ApplicationExclusion.objects.filter(
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
    _own(application, learner)
    application = _locked(application)
    _require(application, *OPEN_STATUSES, action="changed")
    name, email = (name or "").strip(), (email or "").strip()
    if bool(name) != bool(email) or (email and "@" not in email):
        raise ValidationError({"supervisor_email": ["Give your supervisor's name and e-mail."]})
    if email and email.lower() == learner.email.lower():
        raise ValidationError({"supervisor_email": ["You cannot be your own supervisor."]})
    application.supervisor_name, application.supervisor_email = name[:160], email
    application.save(update_fields=["supervisor_name", "supervisor_email", "updated_at"])
    return application


# ---------------------------------------------------------------------------------------------
# References: signed, expiring, single-use links for each rater


def reference_link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "ATTUNE_REFERENCE_LINK_DAYS", 21))


class ReferenceLinkError(Exception):
    """A reference link that cannot be used; ``reason`` says why."""

    EXPIRED = "expired"
    INVALID = "invalid"
    USED = "used"
    WRONG_USER = "wrong_user"

    MESSAGES = {
        EXPIRED: "This reference link has expired. Ask the applicant to send a new one.",
        INVALID: "This reference link is not valid.",
        USED: "This reference link has already been used.",
        WRONG_USER: "This link was sent to another person. Sign in with the e-mail address "
        "the request was sent to.",
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


def reference_token(reference: ReferenceRequest) -> str:
    return signing.dumps({"r": reference.pk, "n": reference.nonce}, salt=REFERENCE_SALT)


def _invite(reference: ReferenceRequest) -> str:
    """A new nonce (older links stop working) and the e-mail with the link."""
    reference.nonce = secrets.token_urlsafe(24)
    reference.invited_at = timezone.now()
    token = reference_token(reference)
    application = reference.application
    applicant = application.learner.get_full_name() or application.learner.email
    _mail(
        f"Reference rating for {applicant}'s endorsement application",
        "endorsement/email/reference_request.txt",
        {
            "reference": reference,
            "applicant": applicant,
            "application": application,
            "link": public_url(reverse("endorsement:reference", args=[token])),
            "days": reference_link_max_age().days,
        },
        reference.email,
    )
    return token


@transaction.atomic
def name_rater(
    *, application, learner, name: str, email: str, relationship: str
) -> ReferenceRequest:
    """Name a rater; they are e-mailed a link to rate the applicant."""
    _own(application, learner)
    application = _locked(application)
    _require(application, *OPEN_STATUSES, action="given another rater")
    requirement_set = _rules_of(application)
    name, email = (name or "").strip(), (email or "").strip()
    errors = {}
    if not name:
        errors["name"] = ["Give the rater's name."]
    if not email or "@" not in email:
        errors["email"] = ["Give the rater's e-mail address."]
    elif email.lower() == learner.email.lower():
        errors["email"] = ["You cannot rate yourself."]
    if relationship not in RaterRelationship.values:
        errors["relationship"] = ["Choose how the rater knows your work."]
    if errors:
        raise ValidationError(errors)
    active = application.references.filter(status__in=ACTIVE_REFERENCES)
    if active.count() >= requirement_set.raters_required:
        raise ValidationError(
            f"You have named {requirement_set.raters_required} raters already; replace one "
            "who has not answered to name someone else."
        )
    if application.references.exclude(status=ReferenceStatus.REPLACED).filter(email__iexact=email):
        raise ValidationError({"email": ["You have already named this rater."]})
    reference = ReferenceRequest(
        application=application,
        name=name[:160],
        email=email,
        relationship=relationship,
        invited_at=timezone.now(),
    )
    reference.save()
    _invite(reference)
    reference.save(update_fields=["nonce", "invited_at"])
    if relationship == RaterRelationship.CURRENT_SUPERVISOR and not application.supervisor_email:
        application.supervisor_name, application.supervisor_email = reference.name, email
        application.save(update_fields=["supervisor_name", "supervisor_email", "updated_at"])
    return reference


@transaction.atomic
def replace_rater(*, application, learner, reference_id: int) -> ReferenceRequest:
    """Withdraw a rater who has not given a usable rating, to name another."""
    _own(application, learner)
    application = _locked(application)
    _require(application, *OPEN_STATUSES, action="changed")
    reference = application.references.select_for_update().filter(pk=reference_id).first()
    if reference is None:
        raise ValidationError("No such rater on this application.")
    if reference.status == ReferenceStatus.RECEIVED:
        raise ValidationError(f"{reference.name} has already given their rating.")
    reference.status, reference.nonce = ReferenceStatus.REPLACED, ""
    reference.save(update_fields=["status", "nonce"])
    return reference


@transaction.atomic
def resend_reference_link(*, application, learner, reference_id: int) -> ReferenceRequest:
    """Send a rater a new link (the old one stops working)."""
    _own(application, learner)
    reference = (
        ReferenceRequest.objects.select_for_update()
        .select_related("application__learner")
        .filter(application=application, pk=reference_id, status=ReferenceStatus.INVITED)
        .first()
    )
    if reference is None:
        raise ValidationError("Only a rater who has not answered can be sent a new link.")
    _invite(reference)
    reference.save(update_fields=["nonce", "invited_at"])
    return reference


def reference_for_token(*, token: str, user, lock: bool = False) -> ReferenceRequest:
    """The reference a link is for, after every check of the link and the person opening it."""
    try:
        payload = signing.loads(token, salt=REFERENCE_SALT, max_age=reference_link_max_age())
    except signing.SignatureExpired as exc:
        raise ReferenceLinkError(ReferenceLinkError.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise ReferenceLinkError(ReferenceLinkError.INVALID) from exc
    references = ReferenceRequest.objects.select_related(
        "application__learner", "application__category", "application__association"
    )
    if lock:
        references = references.select_for_update(of=("self",))
    reference = references.filter(pk=payload.get("r")).first()
    if reference is None or reference.application.status == ApplicationStatus.WITHDRAWN:
        raise ReferenceLinkError(ReferenceLinkError.INVALID)
    if reference.status != ReferenceStatus.INVITED or not secrets.compare_digest(
        reference.nonce or "", payload.get("n") or ""
    ):
        raise ReferenceLinkError(ReferenceLinkError.USED)
    email = (getattr(user, "email", "") or "").lower()
    if email != reference.email.lower() or user.pk == reference.application.learner_id:
        raise ReferenceLinkError(ReferenceLinkError.WRONG_USER)
    return reference


@transaction.atomic
def submit_reference(
    *, token: str, user, ratings: Mapping[str, str], comment: str = ""
) -> ReferenceRequest:
    """The rater's answer: one rating per competency area of the category. Too many "not
    enough information" answers (the association's rule) make the rating void."""
    reference = reference_for_token(token=token, user=user, lock=True)
    application = reference.application
    areas = selectors.category_areas(category=application.category)
    missing = [a.name for a in areas if ratings.get(a.code) not in RatingScale.values]
    if missing:
        raise ValidationError(f"Rate every area (missing: {', '.join(missing)}).")
    requirement_set = _rules_of(application)
    not_enough = sum(
        1 for a in areas if ratings[a.code] == RatingScale.NOT_ENOUGH_INFORMATION.value
    )
    area_rows = {
        a.code: a
        for a in selectors.areas_in_effect().filter(code__in=[area.code for area in areas])
    }
    ReferenceRating.objects.bulk_create(
        ReferenceRating(reference=reference, area=area_rows[a.code], rating=ratings[a.code])
        for a in areas
    )
    void = not_enough >= requirement_set.void_rating_at_nei
    reference.status = ReferenceStatus.VOID if void else ReferenceStatus.RECEIVED
    reference.not_enough_information = not_enough
    reference.responded_at, reference.responded_by = timezone.now(), user
    reference.comment, reference.nonce = (comment or "").strip(), ""
    reference.save()
    if void:
        _mail(
            "A reference rating could not be used",
            "endorsement/email/reference_void.txt",
            {"reference": reference, "application": application},
            application.learner.email,
        )
    return reference


@transaction.atomic
def decline_reference(*, token: str, user, comment: str = "") -> ReferenceRequest:
    reference = reference_for_token(token=token, user=user, lock=True)
    reference.status = ReferenceStatus.DECLINED
    reference.responded_at, reference.responded_by = timezone.now(), user
    reference.comment, reference.nonce = (comment or "").strip(), ""
    reference.save()
    return reference


# ---------------------------------------------------------------------------------------------
# Submission


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
    _own(application, learner)
    application = _locked(application)
    _require(application, ApplicationStatus.DRAFT, action="submitted")
    draft = selectors.application_draft(application=application)
    blocking, allowed = draft.open_items
    if blocking:
        raise ValidationError(["Not ready to submit yet:", *blocking])
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
        evaluation=rules.evaluation_as_json(draft.evaluation),
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
    _own(application, learner)
    application = _locked(application)
    _require(application, *OPEN_STATUSES, action="withdrawn")
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    application.references.filter(status=ReferenceStatus.INVITED).update(nonce="")
    return application


@transaction.atomic
def reopen_application(*, application, learner) -> Application:
    """A deferred application goes back to draft: the learner adds what was asked for and
    submits again."""
    _own(application, learner)
    application = _locked(application)
    _require(application, ApplicationStatus.DEFERRED, action="reopened")
    application.status = ApplicationStatus.DRAFT
    application.save(update_fields=["status", "updated_at"])
    return application


# ---------------------------------------------------------------------------------------------
# Review


def _check_manager(application, by) -> None:
    if not selectors.may_manage_applications(user=by, association=application.association):
        raise PermissionError("Only the association's administrators can do this.")


def _assign(application, reviewer, by) -> ReviewAssignment:
    if Role.REVIEWER not in user_roles(user=reviewer, organization=application.association):
        raise ValidationError(f"{reviewer} is not a reviewer of {application.association}.")
    conflict = selectors.review_conflict(application=application, user=reviewer)
    if conflict:
        raise ValidationError(conflict)
    assignment, _ = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": by}
    )
    _start_review_when_staffed(application)
    return assignment


def _start_review_when_staffed(application) -> None:
    """A submitted application goes into review once it has the reviewers its rules ask."""
    required = _rules_of(application).reviewers_required
    if (
        application.status == ApplicationStatus.SUBMITTED
        and application.assignments.count() >= required
    ):
        application.status = ApplicationStatus.IN_REVIEW
        application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def assign_reviewer(*, application, reviewer, by) -> ReviewAssignment:
    """An association administrator assigns one of its reviewers. Never the applicant, one
    of their raters or their supervisor (matched by account and by e-mail address)."""
    _check_manager(application, by)
    application = _locked(application)
    _require(application, *UNDER_REVIEW, action="given reviewers")
    return _assign(application, reviewer, by)


@transaction.atomic
def remove_reviewer(*, application, reviewer, by) -> bool:
    """Take a reviewer off an application they have not reviewed yet."""
    _check_manager(application, by)
    application = _locked(application)
    _require(application, *UNDER_REVIEW, action="changed")
    deleted, _ = application.assignments.filter(reviewer=reviewer, reviews__isnull=True).delete()
    return bool(deleted)


def auto_assign_reviewers(*, application) -> list[ReviewAssignment]:
    """Assign the association's least busy eligible reviewers until the rule set's number
    is reached; when there are too few, administrators assign the rest in the admin."""
    required = _rules_of(application).reviewers_required
    missing = required - application.assignments.count()
    assigned = [
        _assign(application, reviewer, None)
        for reviewer in selectors.eligible_reviewers(application=application)[: max(0, missing)]
    ]
    _start_review_when_staffed(application)
    return assigned


def _assignment(application, reviewer) -> ReviewAssignment:
    assignment = application.assignments.filter(reviewer=reviewer).first()
    if assignment is None:
        raise PermissionError("You are not assigned to review this application.")
    return assignment


@transaction.atomic
def record_review(
    *,
    application,
    reviewer,
    marks: Mapping[str, tuple[str, str]],
    recommendation: str,
    comments: str = "",
) -> Review:
    """A reviewer's evidence marks (one per competency area of the category: mark and note)
    and recommendation on the latest submission."""
    application = _locked(application)
    assignment = _assignment(application, reviewer)
    _require(application, ApplicationStatus.IN_REVIEW, action="reviewed")
    submission = selectors.latest_submission(application)
    if assignment.reviews.filter(submission=submission).exists():
        raise ValidationError("You have already reviewed this submission.")
    if recommendation not in ReviewOutcome.values:
        raise ValidationError({"recommendation": ["Choose a recommendation."]})
    areas = selectors.category_areas(category=application.category)
    missing = [a.name for a in areas if (marks.get(a.code) or ("",))[0] not in EvidenceMark.values]
    if missing:
        raise ValidationError(f"Mark the evidence for every area (missing: {', '.join(missing)}).")
    review = Review.objects.create(
        assignment=assignment,
        submission=submission,
        recommendation=recommendation,
        comments=(comments or "").strip(),
    )
    area_rows = {
        a.code: a
        for a in selectors.areas_in_effect().filter(code__in=[area.code for area in areas])
    }
    AreaAssessment.objects.bulk_create(
        AreaAssessment(
            review=review,
            area=area_rows[a.code],
            mark=marks[a.code][0],
            note=(marks[a.code][1] or "").strip()[:500],
        )
        for a in areas
    )
    return review


def _has_exam_rule(submission: ApplicationSubmission) -> bool:
    return any(
        r.get("checklist_item") == rules.ChecklistItem.EXAM
        for r in submission.evaluation.get("results", [])
    )


def _check_decision(application, submission, outcome, requested_items) -> None:
    requirement_set = submission.requirement_set
    assignments = list(application.assignments.all())
    reviewed = Review.objects.filter(assignment__in=assignments, submission=submission).count()
    if len(assignments) < requirement_set.reviewers_required or reviewed < len(assignments):
        raise ValidationError(
            f"Every assigned reviewer (at least {requirement_set.reviewers_required}) must "
            f"recommend first: {reviewed} of {len(assignments)} have."
        )
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": ["Choose a decision."]})
    if outcome == ReviewOutcome.DEFER and not (requested_items or "").strip():
        raise ValidationError({"requested_items": ["Say what the applicant should add."]})
    if outcome == ReviewOutcome.APPROVE_TO_SIT_EXAM and not _has_exam_rule(submission):
        raise ValidationError({"outcome": ["These rules have no exam to sit."]})
    if outcome == ReviewOutcome.APPROVE:
        if submission.open_items:
            raise ValidationError(
                {"outcome": ["Items are still open: " + " ".join(submission.open_items)]}
            )
        received = application.references.filter(status=ReferenceStatus.RECEIVED).count()
        if received < requirement_set.raters_required:
            raise ValidationError(
                {
                    "outcome": [
                        f"{received} of {requirement_set.raters_required} reference ratings "
                        "are in; approve once they are."
                    ]
                }
            )


STATUS_AFTER = {
    ReviewOutcome.APPROVE: ApplicationStatus.APPROVED,
    ReviewOutcome.APPROVE_TO_SIT_EXAM: ApplicationStatus.EXAM_APPROVED,
    ReviewOutcome.DEFER: ApplicationStatus.DEFERRED,
    ReviewOutcome.HOLD: ApplicationStatus.ON_HOLD,
}


def _record_decision(application, submission, outcome, by, comments, requested_items, on):
    decision = ApplicationDecision.objects.create(
        application=application,
        submission=submission,
        outcome=outcome,
        comments=(comments or "").strip(),
        requested_items=(requested_items or "").strip(),
        decided_by=by,
    )
    application.status = STATUS_AFTER[ReviewOutcome(outcome)]
    application.decided_at = decision.decided_at
    if outcome == ReviewOutcome.APPROVE:
        application.endorsement = _grant(application, on=on)
    application.save(update_fields=["status", "decided_at", "endorsement", "updated_at"])
    _mail(
        f"Your {application.category.code} application: {decision.get_outcome_display().lower()}",
        "endorsement/email/application_decided.txt",
        {
            "application": application,
            "decision": decision,
            "link": public_url(reverse("endorsement:application", args=[application.pk])),
        },
        application.learner.email,
    )
    application_decided.send(sender=Application, application=application, decision=decision)
    return decision


@transaction.atomic
def decide_application(
    *,
    application,
    by,
    outcome: str,
    comments: str = "",
    requested_items: str = "",
    on: datetime.date | None = None,
) -> ApplicationDecision:
    """Record the decision on the latest submission once every assigned reviewer has
    recommended: approve (writes the Endorsement), approve to sit the exam, defer (naming
    what to add) or hold. An assigned reviewer or an association administrator decides."""
    application = _locked(application)
    if not application.assignments.filter(reviewer=by).exists():
        _check_manager(application, by)
    _require(application, ApplicationStatus.IN_REVIEW, action="decided")
    submission = selectors.latest_submission(application)
    _check_decision(application, submission, outcome, requested_items)
    return _record_decision(
        application, submission, outcome, by, comments, requested_items, on or timezone.localdate()
    )


@transaction.atomic
def record_exam_result(
    *, application, by, passed: bool, taken_on: datetime.date, comments: str = ""
) -> ApplicationDecision:
    """The exam result of an applicant approved to sit it: passing grants the endorsement
    (issued on the exam day), failing defers the application."""
    _check_manager(application, by)
    application = _locked(application)
    _require(application, ApplicationStatus.EXAM_APPROVED, action="given an exam result")
    if not isinstance(taken_on, datetime.date) or taken_on > timezone.localdate():
        raise ValidationError({"taken_on": ["Enter the day of the exam (not in the future)."]})
    submission = selectors.latest_submission(application)
    if passed:
        outcome, requested = ReviewOutcome.APPROVE, ""
        note = f"Passed the endorsement exam on {taken_on:%Y-%m-%d}. {comments}".strip()
    else:
        outcome, requested = ReviewOutcome.DEFER, "Pass the endorsement exam."
        note = f"Did not pass the endorsement exam on {taken_on:%Y-%m-%d}. {comments}".strip()
    return _record_decision(application, submission, outcome, by, note, requested, taken_on)


@transaction.atomic
def resume_review(*, application, by) -> Application:
    """An application on hold goes back into review."""
    application = _locked(application)
    if not application.assignments.filter(reviewer=by).exists():
        _check_manager(application, by)
    _require(application, ApplicationStatus.ON_HOLD, action="taken off hold")
    application.status = ApplicationStatus.IN_REVIEW
    application.save(update_fields=["status", "updated_at"])
    return application


# ---------------------------------------------------------------------------------------------
# The endorsement an approval writes


def _grant(application: Application, *, on: datetime.date) -> Endorsement:
    """Approval of an initial application issues the endorsement; approval of a renewal moves
    its renewal date on by one cycle."""
    if application.kind == ApplicationKind.RENEWAL:
        endorsement = Endorsement.objects.select_for_update().get(pk=application.endorsement_id)
        renewal = _rules_of(application)
        due = endorsement.renewal_due or on
        endorsement.renewal_due = rules.next_renewal_due(
            renewal.window, due, endorsed_on=endorsement.endorsed_on
        )
        endorsement.source, endorsement.application = EndorsementSource.APPLICATION, application
        endorsement.save(update_fields=["renewal_due", "source", "application", "updated_at"])
        return endorsement
    due = renewal_due_for(
        association=application.association,
        category=application.category,
        endorsed_on=on,
    )
    endorsement, _ = Endorsement.objects.update_or_create(
        learner=application.learner,
        association=application.association,
        category=application.category,
        defaults={
            "endorsed_on": on,
            "renewal_due": due,
            "source": EndorsementSource.APPLICATION,
            "application": application,
        },
    )
    return endorsement


@transaction.atomic
def set_registry_listing(*, learner, endorsement_id: int, listed: bool) -> Endorsement:
    """The holder opts in to (or out of) the association's public registry."""
    endorsement = (
        Endorsement.objects.select_for_update()
        .filter(learner=learner, pk=endorsement_id, source=EndorsementSource.APPLICATION)
        .first()
    )
    if endorsement is None:
        raise ValidationError(
            "Only an endorsement granted through Attune can be listed in the registry."
        )
    endorsement.listed_in_registry = bool(listed)
    endorsement.save(update_fields=["listed_in_registry", "updated_at"])
    return endorsement


# ---------------------------------------------------------------------------------------------
# Renewal reminders


def reminder_offsets() -> list[int]:
    """Days before the due date when holders are reminded, smallest last."""
    days = getattr(settings, "ATTUNE_RENEWAL_REMINDER_DAYS", (60, 14))
    return sorted({int(d) for d in days if int(d) >= 0}, reverse=True)


def send_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail holders whose renewal falls due within a reminder offset. Each reminder is a
    row (endorsement, due date, offset) written with the e-mail, so running this any number
    of times sends each reminder once; a run that finds several offsets passed sends only the
    nearest. Holders who have already submitted their renewal are not reminded."""
    today = today or timezone.localdate()
    offsets = reminder_offsets()
    if not offsets:
        return 0
    in_hand = Application.objects.filter(
        kind=ApplicationKind.RENEWAL, endorsement=models.OuterRef("pk")
    ).exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
    due = (
        Endorsement.objects.filter(
            renewal_due__gte=today,
            renewal_due__lte=today + datetime.timedelta(days=offsets[0]),
        )
        .exclude(models.Exists(in_hand))
        .select_related("learner", "association", "category")
    )
    sent = 0
    for endorsement in due:
        left = (endorsement.renewal_due - today).days
        days_before = min(d for d in offsets if d >= left)
        if _remind(endorsement, days_before, left):
            sent += 1
    return sent


@transaction.atomic
def _remind(endorsement: Endorsement, days_before: int, left: int) -> bool:
    reminder, _ = RenewalReminder.objects.get_or_create(
        endorsement=endorsement, due_on=endorsement.renewal_due, days_before=days_before
    )
    reminder = RenewalReminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.sent_at is not None:
        return False
    context = {
        "endorsement": endorsement,
        "days_left": left,
        "link": public_url(reverse("endorsement:applications")),
    }
    # Sent inside the transaction: if the mail server refuses, no row says it was sent and the
    # next run tries again.
    send_mail(
        f"Your {endorsement.category.code} endorsement is due for renewal by "
        f"{endorsement.renewal_due:%B} {endorsement.renewal_due.day}, "
        f"{endorsement.renewal_due.year}",
        render_to_string("endorsement/email/renewal_reminder.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [endorsement.learner.email],
    )
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    return True
