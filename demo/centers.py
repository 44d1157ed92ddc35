"""Demo center data, loaded by the demo loader after the catalog exists: Sunrise Family
Services with an active Great Lakes contract (three catalog trainings and a private cohort
built for Sunrise alone), two programs, a roster of staff (joined, invited, sharing their
portfolio or not), seats, and finished trainings, so that
manager@attune.example can try the dashboard and staff@attune.example the sharing controls.

Idempotent: everything is looked up before it is made. The demo is the one place that
composes every app, so it finishes trainings through the learning services as a learner
would and records endorsements held (imported where used: ``lms.organizations`` itself never
imports ``courses`` or ``lms.endorsement``).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from centers import services
from lms.accounts.models import User
from lms.accounts.services import get_or_create_profile
from lms.organizations.models import (
    ON_ROSTER,
    Contract,
    ContractStatus,
    ContractTraining,
    Organization,
    SeatAssignment,
    SeatStatus,
    StaffMember,
    StaffStatus,
)

CENTER = "sunrise-family-services"
ASSOCIATION = "great-lakes"
MANAGER = "manager@attune.example"
CONTRACT_TITLE = "Sunrise home visitors' foundations"
# Catalog trainings of the demo association, by slug.
TRAININGS = ("attachment-first-year", "culturally-responsive-practice", "mandated-reporting-ethics")
# Built for Sunrise alone: only its staff and managers (and Great Lakes' editors) see it.
PRIVATE_COHORTS = ("sunrise-reflective-circle",)
PROGRAMS = ("Early Head Start", "Home Visiting")


@dataclass(frozen=True)
class DemoStaff:
    email: str
    name: str
    job_role: str
    program: str
    joined: bool = True
    share: bool = False
    seats: tuple[str, ...] = ()
    finished: tuple[str, ...] = ()
    target: str = ""  # endorsement category code the person works toward
    holds: str = ""  # endorsement category the person already holds (renewal due in 90 days)


ROSTER = [
    DemoStaff(
        "staff@attune.example",
        "Sam Delgado",
        "Home visitor",
        "Home Visiting",
        share=True,
        seats=("attachment-first-year", "culturally-responsive-practice", *PRIVATE_COHORTS),
        finished=("attachment-first-year",),
        target="IFS",
    ),
    DemoStaff(
        "tara.nguyen@sunrise.example",
        "Tara Nguyen",
        "Infant-toddler teacher",
        "Early Head Start",
        seats=("attachment-first-year",),
        finished=("attachment-first-year",),
    ),
    DemoStaff(
        "keisha.brown@sunrise.example",
        "Keisha Brown",
        "Family advocate",
        "Home Visiting",
        share=True,
        seats=("attachment-first-year", "culturally-responsive-practice"),
        target="IFS",
        holds="IFA",
    ),
    DemoStaff(
        "luis.romero@sunrise.example",
        "Luis Romero",
        "Home visitor",
        "Home Visiting",
        joined=False,
        seats=("attachment-first-year",),
    ),
    DemoStaff("ana.silva@sunrise.example", "Ana Silva", "Teacher", "Early Head Start"),
]


def _contract(*, center, association, trainings: dict[str, Page]) -> Contract:
    today = timezone.localdate()
    contract = Contract.objects.filter(center=center, title=CONTRACT_TITLE).first()
    if contract is None:
        contract = Contract.objects.create(
            association=association,
            center=center,
            title=CONTRACT_TITLE,
            seat_count=12,
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=300),
            notes="Foundations for new home visitors and infant-toddler teachers.",
        )
    for order, slug in enumerate((*TRAININGS, *PRIVATE_COHORTS)):
        ContractTraining.objects.get_or_create(
            contract=contract,
            training=trainings[slug],
            defaults={"sort_order": order, "private": slug in PRIVATE_COHORTS},
        )
    if contract.status == ContractStatus.DRAFT:
        contract = services.activate_contract(contract=contract)
    return contract


def _on_roster(*, center, spec: DemoStaff, programs, manager) -> StaffMember:
    staff = (
        StaffMember.objects.filter(center=center, user__email__iexact=spec.email)
        .select_related("user")
        .first()
    )
    if staff is None or staff.status not in ON_ROSTER:
        staff = services.add_staff(
            center=center,
            email=spec.email,
            name=spec.name,
            job_role=spec.job_role,
            program=programs[spec.program],
            by=manager,
            invite=False,
        ).staff
    if spec.joined and staff.status == StaffStatus.INVITED:
        staff = services.join_center(staff=staff, user=staff.user, share_portfolio=spec.share)
    return staff


def _target(user: User, spec: DemoStaff, association: Organization) -> None:
    from lms.competencies.models import EndorsementCategory
    from lms.endorsement.models import Endorsement

    profile = get_or_create_profile(user=user)
    if spec.target and profile.target_category_id is None:
        profile.association = association
        profile.target_category = EndorsementCategory.objects.filter(code=spec.target).first()
        profile.save(update_fields=["association", "target_category"])
    held = EndorsementCategory.objects.filter(code=spec.holds).first() if spec.holds else None
    if held is not None:
        today = timezone.localdate()
        Endorsement.objects.get_or_create(
            learner=user,
            association=association,
            category=held,
            defaults={
                "endorsed_on": today - datetime.timedelta(days=640),
                "renewal_due": today + datetime.timedelta(days=90),
            },
        )


def _finish(user: User, training: Page) -> None:
    """Do what the learner does: each lesson, then the evaluation and attestation."""
    from courses.models import Enrollment, EnrollmentStatus, LessonPage
    from courses.services.completion import evaluate_completion
    from courses.services.evaluation import submit_evaluation, survey_for
    from courses.services.progress import mark_lesson_done

    enrollment = Enrollment.objects.filter(
        learner=user, training_id=training.pk, status=EnrollmentStatus.ACTIVE
    ).first()
    if enrollment is None:
        return
    for lesson in LessonPage.objects.child_of(training).live():
        mark_lesson_done(enrollment=enrollment, lesson=lesson)
    survey = survey_for(training=training.specific)
    answers = {
        str(item.id): 5 for item in (survey.items if survey else ()) if item.block_type == "likert"
    }
    submit_evaluation(enrollment=enrollment, survey=survey, answers=answers, attested=True)
    evaluate_completion(enrollment_id=enrollment.pk)


@transaction.atomic
def load_demo_center() -> Contract | None:
    """Sunrise's contract, roster, seats and finished trainings. Returns the contract (None
    when the demo organizations or catalog are missing)."""
    center = Organization.objects.filter(slug=CENTER).first()
    association = Organization.objects.filter(slug=ASSOCIATION).first()
    manager = User.objects.filter(email__iexact=MANAGER).first()
    trainings = (
        {
            page.slug: page
            for page in Page.objects.filter(
                slug__in=(*TRAININGS, *PRIVATE_COHORTS), live=True
            ).descendant_of(association.site.root_page)
        }
        if association and association.site_id
        else {}
    )
    if center is None or manager is None or set(trainings) != {*TRAININGS, *PRIVATE_COHORTS}:
        return None
    contract = _contract(center=center, association=association, trainings=trainings)
    programs = {name: services.add_program(center=center, name=name) for name in PROGRAMS}
    lines = {line.training.slug: line for line in contract.trainings.select_related("training")}
    for spec in ROSTER:
        staff = _on_roster(center=center, spec=spec, programs=programs, manager=manager)
        _target(staff.user, spec, association)
        held = set(
            SeatAssignment.objects.filter(staff=staff, status=SeatStatus.ASSIGNED).values_list(
                "contract_training__training__slug", flat=True
            )
        )
        for slug in spec.seats:
            if slug not in held:
                services.assign_seats(contract_training=lines[slug], staff=[staff], by=manager)
        for slug in spec.finished:
            _finish(staff.user, trainings[slug])
    return contract
