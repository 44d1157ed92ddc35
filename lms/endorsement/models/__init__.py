"""Endorsement models: requirements as versioned data, endorsements held, applications
and their review."""

from .applications import (
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
    EvidenceMark,
    RaterRelationship,
    RatingScale,
    ReferenceRating,
    ReferenceRequest,
    ReferenceStatus,
    Review,
    ReviewAssignment,
    ReviewOutcome,
)
from .credentials import EndorsementCredential
from .endorsements import Endorsement, EndorsementSource, RenewalReminder
from .fees import ApplicationFee, FeeStatus
from .requirements import (
    HOUR_KIND_VALUES,
    ChecklistTick,
    RequirementRule,
    RequirementSet,
    RequirementSetQuerySet,
)

__all__ = [
    "ACTIVE_REFERENCES",
    "HOUR_KIND_VALUES",
    "OPEN_STATUSES",
    "UNDER_REVIEW",
    "Application",
    "ApplicationDecision",
    "ApplicationExclusion",
    "ApplicationFee",
    "ApplicationKind",
    "ApplicationStatus",
    "ApplicationSubmission",
    "AreaAssessment",
    "ChecklistTick",
    "Endorsement",
    "EndorsementCredential",
    "EndorsementSource",
    "EvidenceMark",
    "FeeStatus",
    "RaterRelationship",
    "RatingScale",
    "ReferenceRating",
    "ReferenceRequest",
    "ReferenceStatus",
    "RenewalReminder",
    "RequirementRule",
    "RequirementSet",
    "RequirementSetQuerySet",
    "Review",
    "ReviewAssignment",
    "ReviewOutcome",
]
