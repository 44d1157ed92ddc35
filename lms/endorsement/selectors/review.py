"""Review: who may see an application and who may review it, and what a reviewer's screen
shows.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from lms.organizations.models import Role
from lms.organizations.permissions import Action
from lms.organizations.selectors import members_with_role, organizations_where, user_can
from lms.records.models import RSCSession

from ..models import UNDER_REVIEW, Application, ApplicationStatus, ReferenceStatus, Review
from .applications import changes_since, latest_submission


def conflicted_emails(*, application: Application) -> set[str]:
    """E-mail addresses that may not review the application: the applicant, every rater
    they named, their current supervisor and the supervisors of their RSC sessions."""
    emails = {application.learner.email}
    emails.update(application.references.values_list("email", flat=True))
    if application.supervisor_email:
        emails.add(application.supervisor_email)
    emails.update(
        RSCSession.objects.filter(learner_id=application.learner_id).values_list(
            "supervisor_email", flat=True
        )
    )
    return {e.strip().lower() for e in emails if e}


def review_conflict(*, application: Application, user) -> str:
    """Why ``user`` may not review the application, or "" when they may."""
    if user.pk == application.learner_id:
        return gettext("An applicant cannot review their own application.")
    responders = application.references.filter(responded_by=user).exists()
    if responders or user.email.strip().lower() in conflicted_emails(application=application):
        return gettext(
            "%(user)s is the applicant's rater or supervisor (or shares an e-mail address with "
            "one) and cannot review this application."
        ) % {"user": user}
    return ""


def eligible_reviewers(*, application: Application) -> list:
    """The association's reviewers who may review the application, those with the fewest
    open reviews first."""
    emails = conflicted_emails(application=application)
    responders = application.references.exclude(responded_by=None).values("responded_by")
    reviewers = (
        members_with_role(organization=application.association, role=Role.REVIEWER)
        .filter(is_active=True)
        .exclude(pk=application.learner_id)
        .exclude(pk__in=responders)
        .exclude(pk__in=application.assignments.values("reviewer"))
        .annotate(
            open_reviews=Count(
                "review_assignments",
                filter=Q(review_assignments__application__status__in=UNDER_REVIEW),
                distinct=True,
            )
        )
        .order_by("open_reviews", "pk")
    )
    return [u for u in reviewers if u.email.strip().lower() not in emails]


def may_manage_applications(*, user, association) -> bool:
    return user_can(user=user, action=Action.MANAGE_APPLICATIONS, organization=association)


def reviewable_applications(*, user) -> QuerySet[Application]:
    """Submitted applications ``user`` may open in the admin: every one of the associations
    they manage applications for, and those assigned to them where they review."""
    managed = organizations_where(user=user, action=Action.MANAGE_APPLICATIONS)
    reviewing = organizations_where(user=user, action=Action.REVIEW_APPLICATIONS)
    return (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .filter(
            Q(association__in=managed) | Q(association__in=reviewing, assignments__reviewer=user)
        )
        .distinct()
        .select_related("learner", "association", "category")
        .order_by("-submitted_at", "-id")
    )


def application_for_reviewer(*, user, pk) -> Application | None:
    return reviewable_applications(user=user).filter(pk=pk).first()


def review_context(*, application: Application, user) -> dict:
    """What a reviewer's screen shows: the latest submission with a flag on each record
    amended or revoked since, the references with their ratings, the reviews and decisions.
    Another reviewer's marks show once ``user`` has reviewed (or manages applications)."""
    submission = latest_submission(application)
    reviews = Review.objects.filter(submission=submission).prefetch_related("areas__area")
    assignments = list(
        application.assignments.select_related("reviewer").prefetch_related(
            Prefetch("reviews", queryset=reviews)
        )
    )
    mine = next((a for a in assignments if a.reviewer_id == user.pk), None)
    my_review = next(iter(mine.reviews.all()), None) if mine else None
    changes = changes_since(submission=submission) if submission else {}
    rows = [(row, changes.get(row["pk"])) for row in (submission.records if submission else [])]
    required = submission.requirement_set.reviewers_required if submission else 0
    manages = may_manage_applications(user=user, association=application.association)
    all_reviewed = len(assignments) >= max(required, 1) and all(
        a.reviews.all() for a in assignments
    )
    return {
        "application": application,
        "submission": submission,
        "rows": rows,
        "flagged": sum(1 for _row, change in rows if change),
        "assignments": assignments,
        "my_assignment": mine,
        "my_review": my_review,
        "show_reviews": my_review is not None or manages,
        "all_reviewed": all_reviewed,
        "under_review": application.status in UNDER_REVIEW,
        "may_decide": application.status == ApplicationStatus.IN_REVIEW
        and all_reviewed
        and (mine is not None or manages),
        "may_resume": application.status == ApplicationStatus.ON_HOLD
        and (mine is not None or manages),
        "reviewers_required": required,
        "references": application.references.exclude(status=ReferenceStatus.REPLACED)
        .select_related("responded_by")
        .prefetch_related("ratings__area"),
        "decisions": application.decisions.select_related("decided_by"),
    }
