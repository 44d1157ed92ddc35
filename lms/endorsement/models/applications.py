"""Endorsement applications: the draft, what was submitted, references, review and decisions.

While a draft, an application copies nothing: its training and RSC sections are the
learner's records as they are now, less the ones the learner left out. Submitting writes an
``ApplicationSubmission``: the records' facts, the rule-set version and the evaluation as
they were, frozen. Statuses move only through the service functions in ``services/``
(``applications``, ``review``), one per transition, each checking the status it starts from.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lms.records.models import AppendOnly

from ..rules.rule_sets import SetKind


def _values(choices) -> list[str]:
    return [value for value, _label in choices.choices]


class ApplicationKind(models.TextChoices):
    INITIAL = SetKind.INITIAL.value, _("Initial application")
    RENEWAL = SetKind.RENEWAL.value, _("Renewal")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    EXAM_APPROVED = "exam_approved", _("Approved to sit the exam")
    DEFERRED = "deferred", _("Deferred")
    ON_HOLD = "on_hold", _("On hold")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An application in one of these is still going: the learner has at most one per
# association, category and kind.
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.EXAM_APPROVED,
    ApplicationStatus.DEFERRED,
    ApplicationStatus.ON_HOLD,
)
# Reviewers work on these.
UNDER_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)


class Application(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsement_applications"
    )
    association = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="endorsement_applications",
        limit_choices_to={"kind": "association"},
    )
    category = models.ForeignKey(
        "competencies.EndorsementCategory", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ApplicationKind.choices)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    endorsement = models.ForeignKey(
        "endorsement.Endorsement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_("For a renewal, the endorsement renewed; once approved, the one granted."),
    )
    supervisor_name = models.CharField(_("current supervisor"), max_length=160, blank=True)
    supervisor_email = models.EmailField(_("current supervisor's e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "association", "category", "kind"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="endorsement_one_open_application",
            ),
            models.CheckConstraint(
                condition=Q(status__in=_values(ApplicationStatus)),
                name="endorsement_application_known_status",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_values(ApplicationKind)),
                name="endorsement_application_known_kind",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                name="endorsement_application_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(kind="initial") | Q(endorsement__isnull=False),
                name="endorsement_renewal_names_endorsement",
            ),
        ]
        indexes = [models.Index(fields=["association", "status"])]

    def __str__(self):
        return _("%(kind)s for %(code)s by %(learner)s") % {
            "kind": self.get_kind_display(),
            "code": self.category.code,
            "learner": self.learner,
        }

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationExclusion(models.Model):
    """A record the learner left out of a draft, with their reason."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="exclusions"
    )
    record = models.ForeignKey("records.TrainingRecord", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "record"], name="endorsement_exclusion_once"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="endorsement_exclusion_reason"),
        ]

    def __str__(self):
        return f"Record {self.record_id} left out of application {self.application_id}"


class ApplicationSubmission(AppendOnly):
    """What the learner submitted, frozen: later amendments or revocations of a record
    never change it (reviewers see a flag on the entry instead)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    requirement_set = models.ForeignKey(
        "endorsement.RequirementSet", on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.JSONField(help_text=_("The rules' answer on the day, as JSON."))
    records = models.JSONField(help_text=_("Each counted record's facts as they were."))
    checklist = models.JSONField(default=list)
    exclusions = models.JSONField(default=list)
    open_items = models.JSONField(
        default=list, help_text=_("Unmet rules the rule set allowed to be open at submission.")
    )
    ticks = models.ManyToManyField(
        "endorsement.ChecklistTick", related_name="submissions", blank=True
    )

    class Meta:
        ordering = ["application", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="endorsement_submission_number_once"
            ),
        ]

    def __str__(self):
        return f"Submission {self.number} of application {self.application_id}"


class RaterRelationship(models.TextChoices):
    CURRENT_SUPERVISOR = "current_supervisor", _("Current supervisor")
    PAST_SUPERVISOR = "past_supervisor", _("Past supervisor")
    RSC_PROVIDER = "rsc_provider", _("Reflective supervisor/consultant")
    COLLEAGUE = "colleague", _("Colleague")
    OTHER = "other", _("Other professional")


class ReferenceStatus(models.TextChoices):
    INVITED = "invited", _("Waiting for the rater")
    RECEIVED = "received", _("Received")
    VOID = "void", _("Not usable: please name another rater")
    DECLINED = "declined", _("Declined by the rater")
    REPLACED = "replaced", _("Replaced")


# References that count toward the raters an application names.
ACTIVE_REFERENCES = (ReferenceStatus.INVITED, ReferenceStatus.RECEIVED)


class ReferenceRequest(models.Model):
    """A rater the applicant named, and the single-use link sent to them."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="references"
    )
    name = models.CharField(max_length=160)
    email = models.EmailField()
    relationship = models.CharField(max_length=24, choices=RaterRelationship.choices)
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.INVITED
    )
    nonce = models.CharField(max_length=64, blank=True)
    invited_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    not_enough_information = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "application",
                condition=~Q(status="replaced"),
                name="endorsement_rater_once_per_application",
            ),
            models.CheckConstraint(
                condition=Q(status__in=_values(ReferenceStatus)),
                name="endorsement_reference_known_status",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["invited", "replaced"]) | Q(responded_at__isnull=False),
                name="endorsement_reference_answer_has_time",
            ),
        ]

    def __str__(self):
        return f"Reference from {self.name} for application {self.application_id}"


class RatingScale(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet demonstrated")
    EMERGING = "emerging", _("Emerging")
    CONSISTENT = "consistent", _("Consistently demonstrated")
    STRENGTH = "strength", _("A particular strength")
    NOT_ENOUGH_INFORMATION = "nei", _("Not enough information to rate")


class ReferenceRating(AppendOnly):
    """A rater's answer for one competency area."""

    reference = models.ForeignKey(
        ReferenceRequest, on_delete=models.CASCADE, related_name="ratings"
    )
    area = models.ForeignKey(
        "competencies.CompetencyArea", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(max_length=12, choices=RatingScale.choices)

    class Meta:
        ordering = ["area__order"]
        constraints = [
            models.UniqueConstraint(fields=["reference", "area"], name="endorsement_rating_once"),
            models.CheckConstraint(
                condition=Q(rating__in=_values(RatingScale)), name="endorsement_rating_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_rating_display()} ({self.area_id})"


class ReviewAssignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="endorsement_reviewer_once"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} reviews application {self.application_id}"


class ReviewOutcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_TO_SIT_EXAM = "approve_exam", _("Approve to sit the exam")
    DEFER = "defer", _("Defer (ask for more)")
    HOLD = "hold", _("Put on hold")


class Review(AppendOnly):
    """One reviewer's marks and recommendation on one submission."""

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="reviews"
    )
    submission = models.ForeignKey(
        ApplicationSubmission, on_delete=models.PROTECT, related_name="reviews"
    )
    recommendation = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "submission"], name="endorsement_review_once"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=_values(ReviewOutcome)),
                name="endorsement_review_known_recommendation",
            ),
        ]

    def __str__(self):
        return f"{self.get_recommendation_display()} on submission {self.submission_id}"


class EvidenceMark(models.TextChoices):
    MET = "met", _("Evidence is sufficient")
    PARTLY = "partly", _("Evidence is partial")
    NOT_MET = "not_met", _("Evidence is missing")


class AreaAssessment(AppendOnly):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(
        "competencies.CompetencyArea", on_delete=models.PROTECT, related_name="+"
    )
    mark = models.CharField(max_length=8, choices=EvidenceMark.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["area__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "area"], name="endorsement_area_mark_once"),
            models.CheckConstraint(
                condition=Q(mark__in=_values(EvidenceMark)), name="endorsement_area_mark_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_mark_display()} ({self.area_id})"


class ApplicationDecision(AppendOnly):
    """The decision on a submission, with comments; deferring names what is asked for."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    submission = models.ForeignKey(
        ApplicationSubmission, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    comments = models.TextField(blank=True)
    requested_items = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        get_latest_by = "decided_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=_values(ReviewOutcome)),
                name="endorsement_decision_known_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="defer") | ~Q(requested_items=""),
                name="endorsement_deferral_names_items",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} on {self.decided_at:%Y-%m-%d}"
