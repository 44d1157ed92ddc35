"""Endorsement in the demo, loaded by the demo loader after its users and the requirement
sets exist: in each association an endorsed professional listed in its public registry; at
Great Lakes an application waiting in the reviewer's queue with its three references
answered and one of its two reviews in; and a professional whose records meet the Infant
Family Specialist rules, ready to apply.

Everything goes through the services a person's click would call (records issued, RSC
sessions logged and co-signed, checklist items ticked, applications started and submitted,
raters' answers, reviews and the decision), so the registry, the verification page and the
reviewer's screens show exactly what they show for real data. Idempotent: each step looks at
what exists before it acts, so loading the demo again changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lms.accounts.models import User
from lms.accounts.services import get_or_create_profile
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import (
    ACTIVE_REFERENCES,
    OPEN_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Endorsement,
    EvidenceMark,
    RaterRelationship,
    RatingScale,
    ReferenceStatus,
    ReviewOutcome,
)
from lms.endorsement.selectors.references import reference_token
from lms.endorsement.selectors.requirements import category_areas, requirement_sets_for
from lms.endorsement.services.applications import start_application, submit_application
from lms.endorsement.services.checklist import tick_checklist_item
from lms.endorsement.services.references import name_rater, submit_reference
from lms.endorsement.services.registry import set_registry_listing
from lms.endorsement.services.review import decide_application, record_review
from lms.organizations.models import Organization
from lms.records.models import RSCSession
from lms.records.services.issuing import issue_completion_record
from lms.records.services.rsc import cosign_token, decide_rsc_cosignature, log_rsc_session

ENDORSED = "endorsed"  # approved by both reviewers and listed in the registry
WAITING = "waiting"  # submitted, references answered, the second reviewer's review in
READY = "ready"  # records and checklist complete: applying is up to the person

# The raters every demo applicant names (demo accounts, so their answers are real ones); the
# supervisor also co-signs the applicants' RSC sessions.
SUPERVISOR = "supervisor@attune.example"
RATERS = (
    (SUPERVISOR, RaterRelationship.CURRENT_SUPERVISOR),
    ("colleague1@attune.example", RaterRelationship.COLLEAGUE),
    ("colleague2@attune.example", RaterRelationship.COLLEAGUE),
)


@dataclass(frozen=True)
class DemoProfessional:
    email: str
    association: str
    category: str
    stage: str
    reviewed_by: tuple[str, ...] = ()  # reviewers whose review is recorded by the demo
    decided_by: str = ""  # who records the approval (ENDORSED only)


PROFESSIONALS = [
    DemoProfessional(
        "gl-endorsed@attune.example",
        "great-lakes",
        "IFS",
        ENDORSED,
        reviewed_by=("gl-reviewer@attune.example", "gl-reviewer2@attune.example"),
        decided_by="gl-reviewer@attune.example",
    ),
    DemoProfessional(
        "pr-endorsed@attune.example",
        "prairie",
        "IFA",
        ENDORSED,
        reviewed_by=("pr-reviewer@attune.example", "pr-reviewer2@attune.example"),
        decided_by="pr-reviewer@attune.example",
    ),
    # gl-reviewer@ records the second review and the decision (README's reviewer journey).
    DemoProfessional(
        "applicant@attune.example",
        "great-lakes",
        "IFS",
        WAITING,
        reviewed_by=("gl-reviewer2@attune.example",),
    ),
    DemoProfessional("ready@attune.example", "great-lakes", "IFS", READY),
]


@dataclass(frozen=True)
class DemoTraining:
    key: str
    title: str
    completed_on: datetime.date
    hours: dict[str, str]
    dei: bool = False


# 31 clock hours covering every competency area: enough for IFA and IFS (30 hours).
PORTFOLIO = [
    DemoTraining(
        "development",
        "Infant and early childhood development in relationship",
        datetime.date(2024, 2, 8),
        {"TF": "6", "REF": "2"},
    ),
    DemoTraining(
        "families",
        "Relationship-based practice with families",
        datetime.date(2024, 5, 16),
        {"DSS": "4", "WWO": "2", "COM": "2"},
        dei=True,
    ),
    DemoTraining(
        "ethics",
        "Ethics, law and agency policy for home visitors",
        datetime.date(2024, 9, 12),
        {"LRP": "3", "SE": "1"},
    ),
    DemoTraining(
        "observation",
        "Observation, screening and planning with parents",
        datetime.date(2025, 1, 23),
        {"THK": "3", "DSS": "3"},
    ),
    DemoTraining(
        "systems",
        "Systems of care for babies and their families",
        datetime.date(2025, 4, 10),
        {"SE": "3", "COM": "1", "WWO": "1"},
    ),
]
CHECKLIST = {
    "IFA": (("education", "Associate's degree in child development."), ("code_of_ethics", "")),
    "IFS": (
        ("education", "Bachelor of Social Work."),
        ("work_experience", "Three years of home visiting with fourteen families."),
        ("code_of_ethics", ""),
    ),
}
# Group reflective consultation every six weeks over the last year: 24 hours, what the IFS
# rules ask within 24 months (the IFA rules ask none).
RSC_SESSIONS = 8
RSC_HOURS = Decimal("3")
RSC_CATEGORIES = ("IFS",)


def _records(learner: User, association: Organization) -> None:
    for spec in PORTFOLIO:
        hours = {code: Decimal(h) for code, h in spec.hours.items()}
        issue_completion_record(
            learner=learner,
            source_key=f"demo:portfolio:{spec.key}",
            title=spec.title,
            completed_on=spec.completed_on,
            duration_hours=sum(hours.values()),
            area_hours=hours,
            provider_name=association.name,
            provider_organization=association,
            facilitators=[{"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"}],
            delivery_format="live_webinar",
            dei=spec.dei,
            kind="live_attendance",
        )


def _rsc(learner: User, supervisor: User) -> None:
    """A year of sessions with the demo supervisor, who co-signs each one."""
    if RSCSession.objects.filter(learner=learner).exists():
        return
    today = timezone.localdate()
    for n in range(RSC_SESSIONS, 0, -1):
        session = log_rsc_session(
            learner=learner,
            session_date=today - datetime.timedelta(weeks=6 * n),
            duration_hours=RSC_HOURS,
            session_format="group",
            supervisor_name=supervisor.get_full_name(),
            supervisor_email=supervisor.email,
            supervisor_endorsement="IMHM-C",
            topic="Reflecting on a family's first months together",
        )
        session.refresh_from_db()
        decide_rsc_cosignature(token=cosign_token(session), user=supervisor, confirm=True)


def _checklist(learner: User, association: Organization, category: str) -> None:
    for item, note in CHECKLIST[category]:
        tick_checklist_item(
            learner=learner,
            association=association,
            item=item,
            completed_on=datetime.date(2025, 6, 2),
            note=note,
        )


def _submitted(learner, association, category) -> Application | None:
    """The learner's initial application: started, raters named and submitted. None when
    someone using the demo has taken it further (decided, withdrawn): it is theirs now."""
    application = (
        Application.objects.filter(learner=learner, association=association, category=category)
        .order_by("-pk")
        .first()
    ) or start_application(
        learner=learner, association=association, category=category, kind=ApplicationKind.INITIAL
    )
    if application.status not in OPEN_STATUSES:
        return None
    named = set(
        application.references.filter(status__in=ACTIVE_REFERENCES).values_list("email", flat=True)
    )
    for email, relationship in RATERS:
        if email not in named:
            rater = User.objects.get(email=email)
            name_rater(
                application=application,
                learner=learner,
                name=rater.get_full_name(),
                email=email,
                relationship=relationship,
            )
    if application.status == ApplicationStatus.DRAFT:
        submit_application(application=application, learner=learner)
        application.refresh_from_db()
    return application


def _references_answered(application: Application) -> None:
    areas = category_areas(category=application.category)
    for reference in application.references.filter(status=ReferenceStatus.INVITED):
        rater = User.objects.get(email__iexact=reference.email)
        submit_reference(
            token=reference_token(reference),
            user=rater,
            ratings={area.code: RatingScale.CONSISTENT for area in areas},
            comment="Warm, steady and curious with families; reflects well in supervision.",
        )


def _reviews(application: Application, reviewers: list[User]) -> None:
    marks = {
        area.code: (EvidenceMark.MET, "") for area in category_areas(category=application.category)
    }
    for reviewer in reviewers:
        if application.assignments.filter(reviewer=reviewer, reviews__isnull=False).exists():
            continue
        record_review(
            application=application,
            reviewer=reviewer,
            marks=marks,
            recommendation=ReviewOutcome.APPROVE,
            comments="Training, RSC and references meet the rules.",
        )


def _professional(spec: DemoProfessional, association, category, users) -> None:
    learner = users[spec.email]
    profile = get_or_create_profile(user=learner)
    if profile.association_id is None:
        profile.association, profile.target_category = association, category
        profile.save(update_fields=["association", "target_category"])
    _records(learner, association)
    if spec.category in RSC_CATEGORIES:
        _rsc(learner, users[SUPERVISOR])
    _checklist(learner, association, spec.category)
    if spec.stage == READY:
        return
    held = Endorsement.objects.filter(learner=learner, association=association, category=category)
    if not held.exists():
        application = _submitted(learner, association, category)
        if application is None:
            return
        _references_answered(application)
        if application.status != ApplicationStatus.IN_REVIEW:
            return  # fewer reviewers than the rules ask: an administrator assigns the rest
        _reviews(application, [users[email] for email in spec.reviewed_by])
        if spec.stage == ENDORSED:
            decide_application(
                application=application,
                by=users[spec.decided_by],
                outcome=ReviewOutcome.APPROVE,
                comments="Welcome to the registry.",
            )
    endorsement = held.first()
    if spec.stage == ENDORSED and endorsement and not endorsement.listed_in_registry:
        set_registry_listing(learner=learner, endorsement_id=endorsement.pk, listed=True)


@transaction.atomic
def load_demo_endorsement() -> list[Endorsement]:
    """The demo's endorsed professionals, waiting application and ready applicant. Returns
    the endorsements listed in the registries (none when the framework, the demo accounts or
    the requirement sets are missing)."""
    emails = {p.email for p in PROFESSIONALS} | {e for e, _ in RATERS}
    emails |= {e for p in PROFESSIONALS for e in (*p.reviewed_by, p.decided_by) if e}
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    categories = {c.code: c for c in EndorsementCategory.objects.all()}
    associations = {
        o.slug: o
        for o in Organization.objects.filter(slug__in={p.association for p in PROFESSIONALS})
    }
    for spec in PROFESSIONALS:
        association = associations.get(spec.association)
        category = categories.get(spec.category)
        if association is None or category is None or set(emails) - set(users):
            continue
        rules = requirement_sets_for(
            association=association, category=category, kind=ApplicationKind.INITIAL
        ).in_effect(timezone.localdate())
        if not rules.exists():
            continue
        _professional(spec, association, category, users)
    return demo_endorsements()


def demo_endorsements() -> list[Endorsement]:
    """The demo professionals' endorsements listed in the registries."""
    return list(
        Endorsement.objects.filter(
            learner__email__in=[p.email for p in PROFESSIONALS], listed_in_registry=True
        ).select_related("association", "category", "learner")
    )
