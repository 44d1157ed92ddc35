"""The demo world with the demo learner given one of every kind of data a learner makes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import (
    Attendance,
    AttendanceSource,
    Enrollment,
    EnrollmentSource,
    EvaluationResponse,
    QuizAttempt,
    TrainingPage,
    WatchProgress,
)
from demo.loader import load_demo
from lms.accounts.models import ConsentScope, User
from lms.accounts.services import get_or_create_profile, grant_consent
from lms.endorsement.models import ChecklistTick, Endorsement
from lms.organizations.models import Organization, StaffMember, StaffStatus
from tests.courses.learning import quiz, recording

DEMO_LEARNER = "learner@attune.example"
OTHER_LEARNER = "gl-endorsed@attune.example"  # Jordan Ellis, endorsed and applying


@pytest.fixture
def demo_world(framework, no_search_index):
    load_demo()
    learner = User.objects.get(email=DEMO_LEARNER)
    great_lakes = Organization.objects.get(slug="great-lakes")
    center = Organization.objects.filter(kind="center").first()
    profile = get_or_create_profile(user=learner)
    profile.job_role = "Home visitor"
    profile.association = great_lakes
    profile.save()
    grant_consent(user=learner, organization=great_lakes, scope=ConsentScope.ASSOCIATION_RECORDS)
    training = TrainingPage.objects.live().filter(provider=great_lakes).first()
    enrollment = Enrollment.objects.get_or_create(
        learner=learner, training=training, defaults={"source": EnrollmentSource.SELF}
    )[0]
    Attendance.objects.create(
        enrollment=enrollment, minutes=90, source=AttendanceSource.MANUAL, note="Joined late"
    )
    EvaluationResponse.objects.create(
        enrollment=enrollment,
        answers={"useful": 5, "comment": "Lee Parker found this helpful at work"},
        attested=True,
    )
    WatchProgress.objects.create(
        learner=learner, recording=recording(great_lakes), duration=600, watched_seconds=420
    )
    QuizAttempt.objects.create(
        quiz=quiz(great_lakes, slug="privacy-check"),
        learner=learner,
        training=training,
        number=1,
        score_percent=Decimal("80"),
        passed=True,
        submitted_at=timezone.now(),
    )
    category = great_lakes_category()
    Endorsement.objects.create(
        learner=learner,
        association=great_lakes,
        category=category,
        endorsed_on=datetime.date(2023, 5, 1),
    )
    ChecklistTick.objects.create(
        learner=learner,
        association=great_lakes,
        item="membership",
        completed_on=datetime.date(2024, 1, 2),
        note="Signed with my supervisor",
    )
    if center is not None and not StaffMember.objects.filter(user=learner).exists():
        StaffMember.objects.create(
            center=center,
            user=learner,
            roster_name="Lee Parker",
            job_role="Home visitor",
            status=StaffStatus.ACTIVE,
            joined_at=timezone.now(),
        )
    return learner


def great_lakes_category():
    from lms.competencies.models import EndorsementCategory

    return EndorsementCategory.objects.order_by("pk").first()
