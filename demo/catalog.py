"""Demo catalog: facilitators, library modules and trainings for both associations.

Run by ``load_demo`` after the organizations and users exist. Idempotent: anything found by
its slug or name is left as it is.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from courses.models import (
    CoursePage,
    LessonPage,
    LibraryModule,
    LiveEventPage,
    Quiz,
    TrainingPage,
    WebinarPage,
)
from courses.services.access import sync_organization_access, sync_user_groups
from courses.services.authoring import add_training, cross_list, ensure_catalog
from courses.services.review import ensure_review_workflow
from demo.branding import load_demo_branding
from lms.accounts.models import Discipline
from lms.numbers import plain
from lms.organizations.models import Facilitator, FacilitatorApproval, Organization

D = datetime.date


@dataclass(frozen=True)
class DemoFacilitator:
    name: str
    credentials: str
    organization: str
    bio: str
    approvals: tuple[tuple[str, datetime.date, datetime.date | None], ...]


FACILITATORS = [
    DemoFacilitator(
        "Dana Whitfield",
        "LMSW, IMH-E® (Infant Mental Health Mentor – Clinical)",
        "great-lakes",
        "Dana has led reflective supervision groups for home visiting programs for fifteen "
        "years and trains new supervisors across the region.",
        (
            ("great-lakes", D(2024, 7, 1), D(2027, 6, 30)),
            ("prairie", D(2022, 4, 1), D(2025, 3, 31)),
        ),
    ),
    DemoFacilitator(
        "Marisol Ortega",
        "PhD, IMH-E® (Infant Mental Health Mentor – Research/Faculty)",
        "riverbend-institute",
        "Marisol teaches infant development and culturally responsive practice at the "
        "Riverbend institute and studies early relationships in bilingual families.",
        (("great-lakes", D(2025, 1, 15), D(2028, 1, 14)), ("prairie", D(2025, 2, 1), None)),
    ),
    DemoFacilitator(
        "Joseph Redcloud",
        "MSW, LCSW",
        "prairie",
        "Joseph works with tribal and rural early childhood programs on trauma-informed care "
        "and cross-system collaboration.",
        (("prairie", D(2024, 9, 1), D(2027, 8, 31)),),
    ),
]


@dataclass(frozen=True)
class DemoModule:
    slug: str
    title: str
    summary: str
    text: str
    reflection: str
    shared_with: tuple[str, ...] = ()
    shared_with_all: bool = False
    areas: tuple[str, ...] = ()


MODULES = [
    DemoModule(
        "serve-and-return",
        "Serve and return: building brains through everyday interactions",
        "How back-and-forth exchanges between babies and caregivers shape early brain "
        "development, with examples from home visits and child care.",
        "<p>When a baby babbles, looks or reaches and an adult responds warmly, the exchange "
        "builds connections in the developing brain. This module shows five everyday moments "
        "(diapering, feeding, waiting at the clinic, bath time, bedtime) and what a responsive "
        "turn looks like in each.</p>",
        "Think of a recent visit. Where did the baby offer a 'serve'? What did the adults do next?",
        shared_with_all=True,
        areas=("TF", "DSS"),
    ),
    DemoModule(
        "observing-with-curiosity",
        "Observing infants with curiosity",
        "Slowing down to watch what a baby is telling us before we act, and sharing those "
        "observations with parents.",
        "<p>Observation is a skill that can be practised. This module walks through a short "
        "observation protocol: notice the baby's body, state and signals; describe without "
        "judging; wonder aloud with the parent about what the baby might be feeling.</p>",
        "What do you notice in yourself when a baby cries and you cannot tell why?",
        shared_with=("great-lakes", "prairie"),
        areas=("DSS", "REF"),
    ),
]


@dataclass(frozen=True)
class DemoTraining:
    association: str
    kind: type
    slug: str
    title: str
    summary: str
    hours: dict
    facilitators: tuple[str, ...]
    categories: tuple[str, ...] = ()
    sub_areas: tuple[str, ...] = ()
    age_band: str = "infant"
    level: str = "introductory"
    delivery_format: str = ""
    objectives: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    dei: bool = False
    rsc: bool = False
    days_ahead: int = 0
    venue: str = ""
    location: str = ""
    meeting_url: str = ""
    capacity: int | None = None
    lessons: tuple[tuple[str, str, str | None], ...] = ()  # (title, text, module slug)
    pending_review: bool = False
    extra: dict = field(default_factory=dict)


CREDIT = (
    "Attune records {hours} clock hours for this training. Hours count toward endorsement and "
    "annual renewal as allowed by your association's current requirements."
)

TRAININGS = [
    DemoTraining(
        "great-lakes",
        CoursePage,
        "attachment-first-year",
        "Attachment across the first year",
        "How secure attachment grows between infants and caregivers, and how professionals can "
        "support it in everyday visits.",
        {"TF": "2", "REF": "0.5"},
        ("Dana Whitfield",),
        ("IFA", "IFS"),
        ("TF.ATL", "TF.DEV", "REF.SA"),
        objectives=(
            "Describe the phases of attachment in the first year.",
            "Recognise secure-base behaviour during a home visit.",
            "Reflect on how your own history shapes your responses to a crying baby.",
        ),
        audience=(Discipline.HOME_VISITING, Discipline.EARLY_CARE),
        lessons=(
            (
                "Why the first year matters",
                "<p>Attachment is a relationship built one interaction at a time.</p>",
                "serve-and-return",
            ),
            (
                "Watching for secure-base behaviour",
                "<p>What does a baby do when the parent "
                "leaves the room, and when they come back?</p>",
                "observing-with-curiosity",
            ),
        ),
    ),
    DemoTraining(
        "great-lakes",
        WebinarPage,
        "screening-social-emotional",
        "Screening for social-emotional concerns in toddlers",
        "Choosing and using validated screening tools, talking with parents about results, and "
        "knowing when to refer.",
        {"DSS": "1.5", "THK": "0.5"},
        ("Marisol Ortega",),
        ("IFS", "IMHS"),
        ("DSS.SA", "THK.AI"),
        level="intermediate",
        audience=(Discipline.EARLY_INTERVENTION, Discipline.NURSING),
        extra={
            "post_test": [
                (
                    "quiz",
                    {
                        "quiz": "screening-post-test",
                        "label": "Post-test",
                        "required_to_complete": True,
                    },
                )
            ]
        },
    ),
    DemoTraining(
        "great-lakes",
        LiveEventPage,
        "reflective-supervision-basics",
        "Reflective supervision basics for new supervisors",
        "A half-day workshop on the stance, structure and rhythm of reflective supervision, with "
        "practice in small groups.",
        {"REF": "1.5", "DSS": "0.5", "WWO": "1"},
        ("Dana Whitfield",),
        ("IMHS", "IMHM-C"),
        ("REF.PP", "DSS.RS", "WWO.CM"),
        level="advanced",
        delivery_format="hybrid",
        rsc=True,
        days_ahead=45,
        venue="Grand Rapids, MI and online",
        capacity=30,
        location="Community Room B, 220 Fulton Street, Grand Rapids",
        meeting_url="https://meet.attune.example/glaimh-rs-basics",
    ),
    DemoTraining(
        "great-lakes",
        WebinarPage,
        "mandated-reporting-ethics",
        "Mandated reporting, ethics and the relationship",
        "Meeting your legal duty to report while protecting the working relationship with the "
        "family.",
        {"LRP": "1.5"},
        ("Dana Whitfield",),
        ("IFA", "IFS", "IMHS", "ECFA", "ECFS", "ECMHS"),
        ("LRP.ETH", "LRP.GLR"),
        age_band="both",
    ),
    DemoTraining(
        "great-lakes",
        CoursePage,
        "culturally-responsive-practice",
        "Culturally responsive practice with families",
        "Exploring culture, identity and power in relationship-based work with families of "
        "infants and toddlers.",
        {"TF": "1", "COM": "1", "REF": "1"},
        ("Marisol Ortega",),
        ("IFA", "IFS", "IMHS"),
        ("TF.CUL", "COM.LIS", "REF.SA"),
        dei=True,
        age_band="both",
    ),
    DemoTraining(
        "great-lakes",
        LiveEventPage,
        "navigating-systems",
        "Navigating early intervention and child welfare systems",
        "How referrals, eligibility and case planning work across early intervention, child "
        "welfare and infant mental health services.",
        {"SE": "2", "WWO": "1"},
        ("Dana Whitfield",),
        ("IFS", "ECFS"),
        ("SE.SDS", "SE.CR", "WWO.COL"),
        delivery_format="in_person",
        days_ahead=60,
        venue="Lansing, MI",
        capacity=40,
        location="Capitol Room, 410 Allegan Street, Lansing",
    ),
    DemoTraining(
        "great-lakes",
        CoursePage,
        "perinatal-mood-anxiety",
        "Perinatal mood and anxiety: supporting parents",
        "Recognising perinatal depression and anxiety, responding with warmth, and connecting "
        "parents with care.",
        {"TF": "1.5", "DSS": "1"},
        ("Marisol Ortega",),
        ("IFS", "IMHS"),
        ("TF.PEP", "DSS.SC"),
        pending_review=True,
    ),
    DemoTraining(
        "prairie",
        CoursePage,
        "everyday-moments",
        "Everyday moments: promoting social-emotional health in preschool",
        "Small, daily practices that help three- to five-year-olds name feelings, calm down and "
        "make friends.",
        {"TF": "1", "DSS": "1", "COM": "0.5"},
        ("Joseph Redcloud",),
        ("ECFA", "ECFS"),
        ("TF.DEV", "DSS.DG"),
        age_band="early_childhood",
        audience=(Discipline.EARLY_CARE, Discipline.EDUCATION),
        lessons=(
            (
                "Feelings have names",
                "<p>Labelling emotions out loud helps children learn them.</p>",
                "serve-and-return",
            ),
        ),
    ),
    DemoTraining(
        "prairie",
        WebinarPage,
        "strengths-based-case-notes",
        "Writing clear, strengths-based case notes",
        "Documentation that is accurate, respectful and useful to families and the next provider.",
        {"COM": "1.5", "THK": "0.5"},
        ("Joseph Redcloud",),
        ("IFA", "ECFA"),
        ("COM.WRT", "THK.PLN"),
        age_band="both",
    ),
    DemoTraining(
        "prairie",
        LiveEventPage,
        "young-children-trauma-loss",
        "Supporting young children after trauma and loss",
        "How trauma and grief show up in young children's play and behaviour, and how caregivers "
        "can help them heal.",
        {"TF": "2", "DSS": "1.5", "REF": "0.5"},
        ("Joseph Redcloud", "Marisol Ortega"),
        ("ECFS", "ECMHS"),
        ("TF.ATL", "DSS.RBT"),
        age_band="early_childhood",
        level="intermediate",
        delivery_format="in_person",
        days_ahead=30,
        venue="Wichita, KS",
        capacity=25,
        location="Prairie Center, 1500 Douglas Avenue, Wichita",
    ),
    DemoTraining(
        "prairie",
        WebinarPage,
        "thinking-through-complex-cases",
        "Thinking through complex cases in home visiting",
        "A structured way to analyse a complicated family situation, weigh options and plan next "
        "steps with your supervisor.",
        {"THK": "1.5", "WWO": "0.5"},
        ("Joseph Redcloud",),
        ("IFS", "ECFS"),
        ("THK.SP", "THK.SJ"),
        level="intermediate",
    ),
    DemoTraining(
        "prairie",
        CoursePage,
        "equity-implicit-bias",
        "Equity and implicit bias in early childhood settings",
        "Examining how bias shapes expectations, discipline and referrals, and practices that "
        "make programs fairer for every child.",
        {"REF": "1", "TF": "0.5", "COM": "0.5"},
        ("Marisol Ortega",),
        ("ECFA", "ECFS", "ECMHS"),
        ("TF.CUL", "REF.SA"),
        dei=True,
        age_band="both",
    ),
    DemoTraining(
        "prairie",
        LiveEventPage,
        "collaborating-child-care-partners",
        "Collaborating with child care partners",
        "Building working agreements between mental health consultants and child care programs.",
        {"WWO": "1.5", "SE": "1"},
        ("Joseph Redcloud",),
        ("ECFS", "ECMHS"),
        ("WWO.CON", "SE.SDS"),
        age_band="early_childhood",
        delivery_format="live_webinar",
        days_ahead=21,
        venue="Online",
        meeting_url="https://meet.attune.example/paiecmh-partners",
    ),
    # A private cohort: Great Lakes built it for Sunrise Family Services alone (the demo
    # center's contract marks it private), so only Sunrise's people see it in the catalog.
    DemoTraining(
        "great-lakes",
        CoursePage,
        "sunrise-reflective-circle",
        "Sunrise reflective practice circle",
        "Six sessions for Sunrise's home visitors to reflect together on their work with "
        "families, with a Great Lakes facilitator.",
        {"REF": "1.5", "WWO": "0.5"},
        ("Dana Whitfield",),
        ("IFA", "IFS"),
        ("REF.PP", "WWO.CM"),
        audience=(Discipline.HOME_VISITING,),
        lessons=(
            (
                "Bringing a visit to the circle",
                "<p>Choose one moment from a recent visit that stayed with you, and what you "
                "noticed in yourself.</p>",
                None,
            ),
        ),
    ),
]

CROSS_LISTINGS = [("prairie", "mandated-reporting-ethics"), ("great-lakes", "equity-implicit-bias")]


def _facilitators(orgs) -> dict[str, Facilitator]:
    found = {}
    for spec in FACILITATORS:
        facilitator = Facilitator.objects.filter(name=spec.name).first()
        if facilitator is None:
            facilitator = Facilitator.objects.create(
                name=spec.name,
                credentials=spec.credentials,
                bio=spec.bio,
                organization=orgs[spec.organization],
            )
        for association, approved_on, expires_on in spec.approvals:
            FacilitatorApproval.objects.get_or_create(
                facilitator=facilitator,
                association=orgs[association],
                defaults={"approved_on": approved_on, "expires_on": expires_on},
            )
        found[spec.name] = facilitator
    return found


def _modules(orgs) -> dict[str, LibraryModule]:
    from lms.competencies.models import CompetencyArea

    found = {}
    owner = orgs["riverbend-institute"]
    for spec in MODULES:
        module = LibraryModule.objects.filter(title=spec.title, organization=owner).first()
        if module is None:
            module = LibraryModule.objects.create(
                title=spec.title,
                summary=spec.summary,
                organization=owner,
                body=[
                    ("text", spec.text),
                    ("reflection", {"prompt": spec.reflection, "guidance": ""}),
                ],
                shared_with_all=spec.shared_with_all,
                live=False,
            )
            module.shared_with.set([orgs[slug] for slug in spec.shared_with])
            module.areas.set(CompetencyArea.objects.filter(code__in=spec.areas))
            module.save_revision().publish()
        found[spec.slug] = module
    return found


def _training(spec: DemoTraining, org, catalog, facilitators, modules, users):
    existing = TrainingPage.objects.child_of(catalog).filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    total = sum(Decimal(h) for h in spec.hours.values())
    fields = {
        "title": spec.title,
        "slug": spec.slug,
        "summary": spec.summary,
        "learning_objectives": "\n".join(spec.objectives),
        "audience": list(spec.audience),
        "age_band": spec.age_band,
        "level": spec.level,
        "contact_hours": total,
        "provider": org,
        "credit_statement": CREDIT.format(hours=plain(total)),
        "counts_toward_dei": spec.dei,
        "about_reflective_supervision": spec.rsc,
        **spec.extra,
    }
    if spec.kind is LiveEventPage:
        starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
            days=spec.days_ahead
        )
        fields.update(
            delivery_format=spec.delivery_format,
            starts_at=starts.replace(hour=14),
            ends_at=starts.replace(hour=14) + datetime.timedelta(hours=float(total)),
            time_zone="America/Detroit" if spec.association == "great-lakes" else "America/Chicago",
            venue_summary=spec.venue,
            location=spec.location,
            meeting_url=spec.meeting_url,
            capacity=spec.capacity,
        )
    prefix = "gl" if spec.association == "great-lakes" else "pr"
    editor = users[f"{prefix}-editor@attune.example"]
    reviewer = users[f"{prefix}-reviewer@attune.example"]
    page = add_training(
        parent=catalog,
        page=spec.kind(**fields),
        area_hours=spec.hours,
        facilitators=[facilitators[name] for name in spec.facilitators],
        sub_areas=spec.sub_areas,
        categories=spec.categories,
        user=editor,
        publisher=reviewer,
        publish=not spec.pending_review,
    )
    for title, text, module_slug in spec.lessons:
        body = [("text", text)]
        if module_slug:
            body.append(("module", modules[module_slug]))
        lesson = page.add_child(
            instance=LessonPage(title=title, body=body, duration_minutes=20, live=False)
        )
        lesson.save_revision(user=editor).publish(user=reviewer)
    if spec.pending_review:
        page.get_workflow().start(page, editor)
    return page


SCREENING_QUIZ = [
    (
        "question",
        {
            "kind": "single",
            "prompt": "A toddler's screening result is of concern. What comes first?",
            "choices": [
                {"text": "Talk the result over with the parents", "correct": True},
                {"text": "Repeat the screening until it passes", "correct": False},
                {"text": "File it without comment", "correct": False},
            ],
            "feedback": "Results are shared with the family, who decide on the next steps.",
        },
    ),
    (
        "question",
        {
            "kind": "true_false",
            "prompt": "A screening tool gives a diagnosis.",
            "choices": [{"text": "True", "correct": False}, {"text": "False", "correct": True}],
            "feedback": "Screening finds who may need a fuller assessment; it does not diagnose.",
        },
    ),
]


def _quizzes(orgs) -> None:
    """The post-tests the demo trainings point at."""
    Quiz.objects.get_or_create(
        organization=orgs["great-lakes"],
        slug="screening-post-test",
        defaults={"title": "Screening for social-emotional concerns", "questions": SCREENING_QUIZ},
    )


def load_demo_catalog(*, organizations: dict[str, Organization], users) -> dict:
    """Catalogs, facilitators, modules and trainings for the demo associations."""
    users = {user.email: user for user in users}
    # Organizations and memberships made before the catalog existed get their groups and
    # review workflow here; both steps change nothing when already done.
    for org in organizations.values():
        sync_organization_access(organization=org)
        ensure_review_workflow(organization=org)
    for user in users.values():
        sync_user_groups(user=user)
    facilitators = _facilitators(organizations)
    modules = _modules(organizations)
    _quizzes(organizations)
    catalogs = {}
    for slug in ("great-lakes", "prairie"):
        org = organizations[slug]
        catalogs[slug] = ensure_catalog(
            organization=org,
            intro=f"<p>Training from {org.name}, tagged to the competency guidelines.</p>",
        )
    load_demo_branding(organizations=organizations)
    trainings = [
        _training(
            spec,
            organizations[spec.association],
            catalogs[spec.association],
            facilitators,
            modules,
            users,
        )
        for spec in TRAININGS
    ]
    for catalog_slug, training_slug in CROSS_LISTINGS:
        cross_list(
            catalog=catalogs[catalog_slug],
            # The English training itself, not its Spanish alias of the same slug.
            training=TrainingPage.objects.get(slug=training_slug, alias_of__isnull=True),
        )
    return {
        "catalogs": catalogs,
        "facilitators": facilitators,
        "modules": modules,
        "trainings": trainings,
    }
