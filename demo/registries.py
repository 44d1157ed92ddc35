"""Demo registry reporting (issue #27, registry rosters): Great Lakes reports to the example
state registry as a sponsor; a Great Lakes live event held three weeks ago has three
attendees, all sharing their records with Great Lakes, two with registry IDs and one
(Hana Sato, colleague2@) without, so the roster's preview shows a row the registry would reject.
Other demo learners have registry IDs too.

Idempotent: what exists is found and left as it is.
"""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from courses.models import Enrollment, LiveEventPage, TrainingPage
from courses.services.attendance import record_manual_attendance
from courses.services.authoring import add_training, ensure_catalog
from courses.services.enrollment import register_for_event
from interop.registries.models import AssociationRegistry, LearnerRegistryId
from lms.accounts.models import ConsentScope, User
from lms.accounts.selectors import has_consent
from lms.accounts.services import grant_consent
from lms.organizations.models import Facilitator, Organization

REGISTRY = "state-generic"
SPONSOR_ID = "GLAIMH-0042"
EVENT_SLUG = "home-visiting-practice-seminar"
EVENT_TITLE = "Home visiting practice seminar"
# Who attended, and their registry IDs (None: has none yet). People whose records no other
# demo counts on, so that this event changes no other journey.
ATTENDEES = {
    "colleague1@attune.example": "MI-204815",
    "supervisor@attune.example": "MI-377120",
    "colleague2@attune.example": None,
}
OTHER_IDS = {
    "learner@attune.example": "MI-118034",
    "staff@attune.example": "MI-090213",
    "applicant@attune.example": "MI-311507",
}


def _past_event(association) -> LiveEventPage:
    catalog = ensure_catalog(organization=association)
    event = LiveEventPage.objects.child_of(catalog).filter(slug=EVENT_SLUG).first()
    if event is not None:
        return event
    editor = User.objects.get(email="gl-editor@attune.example")
    reviewer = User.objects.get(email="gl-reviewer@attune.example")
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    event = add_training(
        parent=catalog,
        page=LiveEventPage(
            title=EVENT_TITLE,
            slug=EVENT_SLUG,
            summary="A half-day seminar on home visiting practice, in person and online.",
            contact_hours=3,
            provider=association,
            delivery_format="hybrid",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            time_zone="America/Detroit",
            venue_summary="Grand Rapids, MI and online",
            require_evaluation=False,
        ),
        area_hours={"REF": "1.5", "DSS": "0.5", "WWO": "1"},
        facilitators=list(Facilitator.objects.filter(name="Dana Whitfield")[:1]),
        sub_areas=("REF.PP", "DSS.RS", "WWO.CM"),
        user=editor,
        publisher=reviewer,
    )
    return event


def _hold_in_the_past(event: LiveEventPage) -> LiveEventPage:
    """Move the event (registered while it lay ahead) three weeks back, as published."""
    if event.starts_at is not None and event.starts_at < timezone.now():
        return event
    zone = zoneinfo.ZoneInfo("America/Detroit")
    day = (timezone.now() - datetime.timedelta(days=21)).astimezone(zone).date()
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=zone)
    event.starts_at, event.ends_at = starts, starts + datetime.timedelta(hours=3)
    reviewer = User.objects.get(email="gl-reviewer@attune.example")
    event.save_revision(user=reviewer).publish(user=reviewer)
    return LiveEventPage.objects.get(pk=event.pk)


@transaction.atomic
def load_demo_registries() -> TrainingPage | None:
    """Returns the demo's reported live event (None before the demo's organizations exist)."""
    association = Organization.objects.filter(slug="great-lakes", site__isnull=False).first()
    if association is None:
        return None
    AssociationRegistry.objects.get_or_create(
        association=association, registry=REGISTRY, defaults={"sponsor_id": SPONSOR_ID}
    )
    event = _past_event(association)
    people = {user.email: user for user in User.objects.filter(email__in=ATTENDEES)}
    fresh = event.starts_at is not None and event.starts_at > timezone.now()
    if fresh:
        for email in ATTENDEES:
            register_for_event(learner=people[email], event=event)
        event = _hold_in_the_past(event)
        for enrollment in Enrollment.objects.filter(training=event, attendance__isnull=True):
            record_manual_attendance(enrollment=enrollment, minutes=180, by=None, note="Demo")
    for email, registry_id in {**ATTENDEES, **OTHER_IDS}.items():
        person = people.get(email) or User.objects.filter(email=email).first()
        if person is None:
            continue
        if email in ATTENDEES and not has_consent(user=person, organization=association):
            grant_consent(
                user=person, organization=association, scope=ConsentScope.ASSOCIATION_RECORDS
            )
        if registry_id:
            LearnerRegistryId.objects.get_or_create(
                learner=person, registry=REGISTRY, defaults={"registry_id": registry_id}
            )
    return event
