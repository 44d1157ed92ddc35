"""Great Lakes' continuing-education credit: two kinds (social work CE from an example state
board, registry hours from an example early-childhood registry), both offered on the
mandated-reporting webinar, which gets a post-test long enough for the board's rule.

Idempotent: kinds are found by code, the post-test by its identifier, and a webinar that
already offers credit (from an earlier run or an editor) is left as it is. The approval
statements and numbers are demo values, not any real board's.
"""

from decimal import Decimal

from courses.models import Quiz, TrainingCreditOffer, TrainingPage
from lms.organizations.models import Organization
from lms.records.models import CreditCategory, CreditKind, CreditUnit

ASSOCIATION = "great-lakes"
WEBINAR = "mandated-reporting-ethics"
POST_TEST = "mandated-reporting-post-test"

KINDS = {
    "sw-ce": {
        "name": "Social work CE",
        "awarding_body": "Example State Board of Social Work (demo)",
        "unit": CreditUnit.CONTACT_HOURS,
        "hours_per_unit": Decimal("1"),
        "certificate_statement": (
            "DEMO VALUE. Great Lakes Association for Infant Mental Health is approved as a "
            "provider of continuing education by the Example State Board of Social Work, "
            "provider number DEMO-SW-1187. This course is approved for the contact hours and "
            "category shown."
        ),
        "approval_number": "DEMO-SW-1187",
        "license_profession": "social_work",
        "minimum_score_percent": 80,
        "minimum_questions_per_hour": 10,
    },
    "registry": {
        "name": "Registry hours",
        "awarding_body": "Example Early Childhood Registry (demo)",
        "unit": CreditUnit.CONTACT_HOURS,
        "hours_per_unit": Decimal("1"),
        "certificate_statement": (
            "DEMO VALUE. Approved by the Example Early Childhood Registry for professional "
            "development hours, sponsor DEMO-ECR-0042."
        ),
        "approval_number": "DEMO-ECR-0042",
    },
}

# (prompt, answers as (text, correct)) — fifteen questions: 1.5 credit hours at ten an hour.
QUESTIONS = [
    (
        "When must a mandated reporter make a report?",
        [
            ("When they have reasonable cause to suspect abuse or neglect", True),
            ("Only once they have proof", False),
            ("Only after asking the family", False),
        ],
    ),
    (
        "A report is a statement that abuse happened.",
        [("True", False), ("False", True)],
    ),
    (
        "Who decides whether a report is investigated?",
        [
            ("Child protective services", True),
            ("The reporter", False),
            ("The family's doctor", False),
        ],
    ),
    (
        "Telling a supervisor is enough to meet your own duty to report.",
        [("True", False), ("False", True)],
    ),
    (
        "What protects the working relationship when a report is needed?",
        [
            ("Being honest with the family about the report, when it is safe", True),
            ("Reporting without ever mentioning it", False),
            ("Delaying the report", False),
        ],
    ),
    (
        "Reporters acting in good faith are generally protected from liability.",
        [("True", True), ("False", False)],
    ),
    (
        "Which is a sign that may suggest neglect of an infant?",
        [
            ("Repeated failure to meet basic needs such as feeding", True),
            ("A single missed nap", False),
            ("Crying when a stranger arrives", False),
        ],
    ),
    (
        "Poverty alone is neglect.",
        [("True", False), ("False", True)],
    ),
    (
        "What should a home visitor document after making a report?",
        [
            ("What they observed and when they reported it", True),
            ("Their guess about who is at fault", False),
            ("Nothing", False),
        ],
    ),
    (
        "Which ethical duty can pull against reporting?",
        [("Confidentiality", True), ("Punctuality", False), ("Record keeping", False)],
    ),
    (
        "Confidentiality rules override the duty to report.",
        [("True", False), ("False", True)],
    ),
    (
        "How can bias enter a decision to report?",
        [
            ("By treating the same concern differently across families' cultures or incomes", True),
            ("By following the law", False),
            ("By consulting a supervisor", False),
        ],
    ),
    (
        "Reflective supervision after a report helps the practitioner…",
        [
            ("Notice their own feelings and keep the family in mind", True),
            ("Decide the case outcome", False),
            ("Avoid the family", False),
        ],
    ),
    (
        "A practitioner unsure whether a concern meets the threshold should…",
        [
            ("Consult their supervisor or the hotline, without delaying a needed report", True),
            ("Wait for more signs", False),
            ("Ask the child to explain", False),
        ],
    ),
    (
        "Making a report ends the practitioner's work with the family.",
        [("True", False), ("False", True)],
    ),
]


def _question(prompt, answers):
    kind = "true_false" if [text for text, _ in answers] == ["True", "False"] else "single"
    return (
        "question",
        {
            "kind": kind,
            "prompt": prompt,
            "choices": [{"text": text, "correct": correct} for text, correct in answers],
            "feedback": "",
        },
    )


def _kinds(association) -> dict[str, CreditKind]:
    return {
        code: CreditKind.objects.get_or_create(
            organization=association, code=code, defaults=fields
        )[0]
        for code, fields in KINDS.items()
    }


def load_demo_credits() -> TrainingPage | None:
    """Great Lakes' credit kinds and the webinar offering them. Returns the webinar."""
    association = Organization.objects.filter(slug=ASSOCIATION, site__isnull=False).first()
    if association is None:
        return None
    kinds = _kinds(association)
    Quiz.objects.get_or_create(
        organization=association,
        slug=POST_TEST,
        defaults={
            "title": "Mandated reporting, ethics and the relationship",
            "questions": [_question(prompt, answers) for prompt, answers in QUESTIONS],
        },
    )
    webinar = (
        TrainingPage.objects.descendant_of(association.site.root_page)
        .filter(slug=WEBINAR, locale__language_code="en", alias_of=None)
        .first()
    )
    if webinar is None:
        return None
    page = webinar.specific
    if page.credit_offers.exists():
        return page  # offered already (by an earlier run or an editor)
    hours = page.contact_hours
    page.credit_offers = [
        TrainingCreditOffer(
            kind=kinds["sw-ce"],
            amount=hours,
            approval_number="DEMO-C-2026-014",
            category=CreditCategory.ETHICS,
        ),
        TrainingCreditOffer(kind=kinds["registry"], amount=hours, category=CreditCategory.SAFETY),
    ]
    if not page.post_test:
        page.post_test = [
            ("quiz", {"quiz": POST_TEST, "label": "Post-test", "required_to_complete": True})
        ]
    # Through a revision, so the editor opens the webinar with its credit.
    page.save_revision().publish()
    return page
