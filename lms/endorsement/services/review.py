"""Writes on review: assigning reviewers, their reviews, the decision (approval writes the
endorsement), the exam result and taking an application off hold.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.organizations.models import Role
from lms.organizations.selectors import user_roles
from lms.records.links import public_url
from lms.records.selectors.transcript import areas_in_effect

from ..models import (
    UNDER_REVIEW,
    Application,
    ApplicationDecision,
    ApplicationKind,
    ApplicationStatus,
    ApplicationSubmission,
    AreaAssessment,
    Endorsement,
    EndorsementSource,
    EvidenceMark,
    ReferenceStatus,
    Review,
    ReviewAssignment,
    ReviewOutcome,
)
from ..rules.cycles import next_renewal_due
from ..rules.rule_sets import ChecklistItem
from ..selectors.applications import latest_submission
from ..selectors.languages import document_language
from ..selectors.requirements import category_areas
from ..selectors.review import eligible_reviewers, may_manage_applications, review_conflict
from ..signals import application_decided
from .credentials import issue_endorsement_credential
from .renewals import renewal_due_for
from .transitions import application_rules, locked_application, mail_after_commit, require_status


def _check_manager(application, by) -> None:
    if not may_manage_applications(user=by, association=application.association):
        raise PermissionError(_("Only the association's administrators can do this."))


def _assign(application, reviewer, by) -> ReviewAssignment:
    if Role.REVIEWER not in user_roles(user=reviewer, organization=application.association):
        raise ValidationError(
            _("%(reviewer)s is not a reviewer of %(association)s.")
            % {"reviewer": reviewer, "association": application.association}
        )
    conflict = review_conflict(application=application, user=reviewer)
    if conflict:
        raise ValidationError(conflict)
    assignment, _created = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": by}
    )
    _start_review_when_staffed(application)
    return assignment


def _start_review_when_staffed(application) -> None:
    """A submitted application goes into review once it has the reviewers its rules ask."""
    required = application_rules(application).reviewers_required
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
    application = locked_application(application)
    require_status(
        application,
        *UNDER_REVIEW,
        action=pgettext("an application cannot be … now", "given reviewers"),
    )
    return _assign(application, reviewer, by)


@transaction.atomic
def remove_reviewer(*, application, reviewer, by) -> bool:
    """Take a reviewer off an application they have not reviewed yet."""
    _check_manager(application, by)
    application = locked_application(application)
    require_status(
        application, *UNDER_REVIEW, action=pgettext("an application cannot be … now", "changed")
    )
    deleted, _counts = application.assignments.filter(
        reviewer=reviewer, reviews__isnull=True
    ).delete()
    return bool(deleted)


def auto_assign_reviewers(*, application) -> list[ReviewAssignment]:
    """Assign the association's least busy eligible reviewers until the rule set's number
    is reached; when there are too few, administrators assign the rest in the admin."""
    required = application_rules(application).reviewers_required
    missing = required - application.assignments.count()
    assigned = [
        _assign(application, reviewer, None)
        for reviewer in eligible_reviewers(application=application)[: max(0, missing)]
    ]
    _start_review_when_staffed(application)
    return assigned


def _assignment(application, reviewer) -> ReviewAssignment:
    assignment = application.assignments.filter(reviewer=reviewer).first()
    if assignment is None:
        raise PermissionError(_("You are not assigned to review this application."))
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
    application = locked_application(application)
    assignment = _assignment(application, reviewer)
    require_status(
        application,
        ApplicationStatus.IN_REVIEW,
        action=pgettext("an application cannot be … now", "reviewed"),
    )
    submission = latest_submission(application)
    if assignment.reviews.filter(submission=submission).exists():
        raise ValidationError(_("You have already reviewed this submission."))
    if recommendation not in ReviewOutcome.values:
        raise ValidationError({"recommendation": [_("Choose a recommendation.")]})
    areas = category_areas(category=application.category)
    missing = [a.name for a in areas if (marks.get(a.code) or ("",))[0] not in EvidenceMark.values]
    if missing:
        raise ValidationError(
            _("Mark the evidence for every area (missing: %(areas)s).")
            % {"areas": ", ".join(missing)}
        )
    review = Review.objects.create(
        assignment=assignment,
        submission=submission,
        recommendation=recommendation,
        comments=(comments or "").strip(),
    )
    area_rows = {
        a.code: a for a in areas_in_effect().filter(code__in=[area.code for area in areas])
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
        r.get("checklist_item") == ChecklistItem.EXAM
        for r in submission.evaluation.get("results", [])
    )


def _check_decision(application, submission, outcome, requested_items) -> None:
    requirement_set = submission.requirement_set
    assignments = list(application.assignments.all())
    reviewed = Review.objects.filter(assignment__in=assignments, submission=submission).count()
    if len(assignments) < requirement_set.reviewers_required or reviewed < len(assignments):
        raise ValidationError(
            _(
                "Every assigned reviewer (at least %(required)s) must recommend first: "
                "%(reviewed)s of %(assigned)s have."
            )
            % {
                "required": requirement_set.reviewers_required,
                "reviewed": reviewed,
                "assigned": len(assignments),
            }
        )
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": [_("Choose a decision.")]})
    if outcome == ReviewOutcome.DEFER and not (requested_items or "").strip():
        raise ValidationError({"requested_items": [_("Say what the applicant should add.")]})
    if outcome == ReviewOutcome.APPROVE_TO_SIT_EXAM and not _has_exam_rule(submission):
        raise ValidationError({"outcome": [_("These rules have no exam to sit.")]})
    if outcome == ReviewOutcome.APPROVE:
        if submission.open_items:
            raise ValidationError(
                {
                    "outcome": [
                        _("Items are still open: %(items)s")
                        % {"items": " ".join(submission.open_items)}
                    ]
                }
            )
        received = application.references.filter(status=ReferenceStatus.RECEIVED).count()
        if received < requirement_set.raters_required:
            raise ValidationError(
                {
                    "outcome": [
                        _(
                            "%(received)s of %(required)s reference ratings are in; approve "
                            "once they are."
                        )
                        % {"received": received, "required": requirement_set.raters_required}
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
    # In the applicant's language, whatever the reviewer reads the admin in.
    with translation.override(document_language(application.learner)):
        mail_after_commit(
            _("Your %(code)s application: %(outcome)s")
            % {
                "code": application.category.code,
                "outcome": decision.get_outcome_display().lower(),
            },
            "endorsement/email/application_decided.txt",
            {
                "application": application,
                "decision": decision,
                "link": public_url(reverse("endorsement:application", args=[application.pk])),
            },
            application.learner.email,
            association=application.association,
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
    application = locked_application(application)
    if not application.assignments.filter(reviewer=by).exists():
        _check_manager(application, by)
    require_status(
        application,
        ApplicationStatus.IN_REVIEW,
        action=pgettext("an application cannot be … now", "decided"),
    )
    submission = latest_submission(application)
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
    application = locked_application(application)
    require_status(
        application,
        ApplicationStatus.EXAM_APPROVED,
        action=pgettext("an application cannot be … now", "given an exam result"),
    )
    if not isinstance(taken_on, datetime.date) or taken_on > timezone.localdate():
        raise ValidationError({"taken_on": [_("Enter the day of the exam (not in the future).")]})
    submission = latest_submission(application)
    if passed:
        outcome, requested = ReviewOutcome.APPROVE, ""
        note = _("Passed the endorsement exam on %(day)s.") % {"day": f"{taken_on:%Y-%m-%d}"}
        note = f"{note} {comments}".strip()
    else:
        outcome, requested = ReviewOutcome.DEFER, _("Pass the endorsement exam.")
        note = _("Did not pass the endorsement exam on %(day)s.") % {"day": f"{taken_on:%Y-%m-%d}"}
        note = f"{note} {comments}".strip()
    return _record_decision(application, submission, outcome, by, note, requested, taken_on)


@transaction.atomic
def resume_review(*, application, by) -> Application:
    """An application on hold goes back into review."""
    application = locked_application(application)
    if not application.assignments.filter(reviewer=by).exists():
        _check_manager(application, by)
    require_status(
        application,
        ApplicationStatus.ON_HOLD,
        action=pgettext("an application cannot be … now", "taken off hold"),
    )
    application.status = ApplicationStatus.IN_REVIEW
    application.save(update_fields=["status", "updated_at"])
    return application


def _grant(application: Application, *, on: datetime.date) -> Endorsement:
    """Approval of an initial application issues the endorsement; approval of a renewal moves
    its renewal date on by one cycle."""
    if application.kind == ApplicationKind.RENEWAL:
        endorsement = Endorsement.objects.select_for_update().get(pk=application.endorsement_id)
        if endorsement.is_revoked:
            raise ValidationError(
                _(
                    "This endorsement was revoked, so it cannot be renewed: a new application "
                    "can grant it again."
                )
            )
        renewal = application_rules(application)
        due = endorsement.renewal_due or on
        endorsement.renewal_due = next_renewal_due(
            renewal.window, due, endorsed_on=endorsement.endorsed_on
        )
        endorsement.source, endorsement.application = EndorsementSource.APPLICATION, application
        endorsement.save(update_fields=["renewal_due", "source", "application", "updated_at"])
        issue_endorsement_credential(endorsement=endorsement)
        return endorsement
    due = renewal_due_for(
        association=application.association,
        category=application.category,
        endorsed_on=on,
    )
    endorsement, _created = Endorsement.objects.update_or_create(
        learner=application.learner,
        association=application.association,
        category=application.category,
        defaults={
            "endorsed_on": on,
            "renewal_due": due,
            "source": EndorsementSource.APPLICATION,
            "application": application,
            # A new application granted after a revocation grants it afresh; the audit log
            # and the old credentials' status keep the revocation.
            "revoked_at": None,
            "revoked_by": None,
            "revocation_reason": "",
        },
    )
    issue_endorsement_credential(endorsement=endorsement)
    return endorsement
