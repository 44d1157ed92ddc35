"""A past live event of Great Lakes with its attendees, and Great Lakes reporting to the
example state registry: the roster's tests share it."""

import datetime

import pytest

from courses.models import Enrollment, LiveEventPage
from courses.services.attendance import record_manual_attendance
from courses.services.enrollment import register_for_event
from interop.registries.models import AssociationRegistry, LearnerRegistryId
from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent
from lms.organizations.models import Role
from tests.courses.factories import member, training
from tests.factories import UserFactory

DETROIT = datetime.timezone(datetime.timedelta(hours=-4))
REGISTRY = "state-generic"


@pytest.fixture
def event(great_lakes):
    """Held 2026-03-03, 9:00 to 12:00 in Detroit. Ana and Dee are reportable; Ben has no
    registry ID; Carl's ID is not in the registry's format; Eve does not share her records
    with Great Lakes; Fay left after 20 minutes (no hours credited)."""
    page = training(
        great_lakes, "Reflective supervision basics", kind="event", hours={"REF": "2", "WWO": "1"},
        time_zone="America/Detroit", require_evaluation=False,
    )  # fmt: skip
    people = {}
    for name in ("ana", "ben", "carl", "dee", "eve", "fay"):
        person = UserFactory(
            email=f"{name}@example.org", first_name=name.title(), last_name="Example"
        )
        register_for_event(learner=person, event=page)
        people[name] = person
    LiveEventPage.objects.filter(pk=page.pk).update(
        starts_at=datetime.datetime(2026, 3, 3, 9, tzinfo=DETROIT),
        ends_at=datetime.datetime(2026, 3, 3, 12, tzinfo=DETROIT),
    )
    page.refresh_from_db()
    for name, person in people.items():
        enrollment = Enrollment.objects.get(learner=person, training=page)
        record_manual_attendance(
            enrollment=enrollment, minutes=20 if name == "fay" else 180, by=None
        )
        if name != "eve":
            grant_consent(
                user=person, organization=great_lakes, scope=ConsentScope.ASSOCIATION_RECORDS
            )
    ids = {"ana": "MI-100001", "carl": "not valid!", "dee": "MI-100004", "eve": "MI-100005"}
    ids["fay"] = "MI-100006"
    for name, value in ids.items():
        LearnerRegistryId.objects.create(learner=people[name], registry=REGISTRY, registry_id=value)
    AssociationRegistry.objects.create(
        association=great_lakes, registry=REGISTRY, sponsor_id="GL-SPONSOR-7"
    )
    page.people = people
    return page


@pytest.fixture
def gl_editor(great_lakes):
    return member(great_lakes, Role.EDITOR)


@pytest.fixture
def gl_admin(great_lakes):
    return member(great_lakes, Role.ADMIN)


@pytest.fixture
def pr_admin(prairie):
    return member(prairie, Role.ADMIN)
