"""The courses app's models, one module per concept; pages.py holds the page tree."""

from .access import OrganizationCollection, RoleGroup
from .archive import TrainingArchive
from .caption_exceptions import CaptionException
from .credits import TrainingCreditOffer
from .learning import (
    AccessCode,
    Attendance,
    AttendanceImport,
    AttendanceSource,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    ImportStatus,
    LessonProgress,
    LessonStatus,
    WatchProgress,
)
from .library import LibraryModule
from .pages import (
    AttunePage,
    CatalogIndexPage,
    CoursePage,
    CrossListing,
    DeliveryFormat,
    HomePage,
    LessonPage,
    LiveEventPage,
    TrainingAgeBand,
    TrainingAreaHours,
    TrainingFacilitator,
    TrainingLevel,
    TrainingPage,
    WebinarPage,
)
from .quizzes import AttemptStatus, EvaluationResponse, EvaluationSurvey, Quiz, QuizAttempt
from .review import AssociationReviewTask

__all__ = [
    "AccessCode",
    "AssociationReviewTask",
    "AttemptStatus",
    "Attendance",
    "AttendanceImport",
    "AttendanceSource",
    "AttunePage",
    "CaptionException",
    "CatalogIndexPage",
    "CoursePage",
    "CrossListing",
    "DeliveryFormat",
    "Enrollment",
    "EnrollmentSource",
    "EnrollmentStatus",
    "EvaluationResponse",
    "EvaluationSurvey",
    "HomePage",
    "ImportStatus",
    "LessonPage",
    "LessonProgress",
    "LessonStatus",
    "LibraryModule",
    "LiveEventPage",
    "OrganizationCollection",
    "Quiz",
    "QuizAttempt",
    "RoleGroup",
    "TrainingAgeBand",
    "TrainingArchive",
    "TrainingAreaHours",
    "TrainingCreditOffer",
    "TrainingFacilitator",
    "TrainingLevel",
    "TrainingPage",
    "WatchProgress",
    "WebinarPage",
]
