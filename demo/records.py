"""Demo records for learner@attune.example, loaded by the demo loader after its users exist.

Idempotent: platform records are keyed by source; the others are looked up before they are
made, so running the loader again changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from lms.accounts.models import User
from lms.organizations.models import Organization
from lms.records.models import CertificateTemplate, ExternalTraining, RSCSession
from lms.records.services.amendments import amend_record
from lms.records.services.external import add_external_training
from lms.records.services.issuing import issue_completion_record
from lms.records.services.rsc import log_rsc_session

DEMO_LEARNER = "learner@attune.example"

PLATFORM = [
    {
        "source_key": "demo:attachment-webinar",
        "title": "Attachment and the first year: a relationship-based webinar",
        "topic": "Attachment",
        "completed_on": datetime.date(2024, 3, 14),
        "duration_hours": Decimal("3.5"),
        "area_hours": {"TF": Decimal("2.5"), "REF": Decimal("1")},
        "facilitators": [{"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"}],
        "delivery_format": "live_webinar",
        "dei": False,
        "kind": "live_attendance",
    },
    {
        "source_key": "demo:cultural-humility-course",
        "title": "Cultural humility in home visiting",
        "topic": "Cultural humility",
        "completed_on": datetime.date(2025, 1, 22),
        "duration_hours": Decimal("2"),
        "area_hours": {"TF": Decimal("1"), "WWO": Decimal("1")},
        "facilitators": [{"name": "Marisol Vega", "credentials": "PhD"}],
        "delivery_format": "self_paced",
        "dei": True,
        "kind": "platform",
    },
]


@transaction.atomic
def load_demo_records() -> int:
    """Give the demo learner a few records of every kind. Returns how many they have."""
    learner = User.objects.filter(email__iexact=DEMO_LEARNER).first()
    provider = Organization.objects.filter(slug="great-lakes").first()
    if learner is None or provider is None:
        return 0
    CertificateTemplate.objects.get_or_create(
        organization=provider,
        defaults={
            "heading": "Certificate of completion",
            "signatory_name": "Grace Lindqvist",
            "signatory_title": "Director of Training, GLAIMH",
            "primary_colour": "#1f4e79",
            "accent_colour": "#c97b2b",
        },
    )
    records = [
        issue_completion_record(
            learner=learner,
            provider_name=provider.name,
            provider_organization=provider,
            training_url="",
            **spec,
        )
        for spec in PLATFORM
    ]
    first = records[0]
    if not first.amendments.exists():
        amend_record(
            record=first,
            by=learner,
            reason="The flyer listed the co-facilitator's credentials wrongly.",
            facilitators=[
                {"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"},
                {"name": "Rae Thompson", "credentials": "LPC"},
            ],
        )
    if not ExternalTraining.objects.filter(learner=learner).exists():
        add_external_training(
            learner=learner,
            title="Circle of Security Parenting facilitator training",
            completed_on=datetime.date(2019, 5, 2),
            duration_hours=Decimal("24"),
            provider_name="Riverbend Clinic",
            area_hours={"DSS": Decimal("16"), "TF": Decimal("8")},
            delivery_format="in_person",
            facilitators=[{"name": "Jo Park", "credentials": "LMSW"}],
        )
    if not RSCSession.objects.filter(learner=learner).exists():
        log_rsc_session(
            learner=learner,
            session_date=datetime.date(2025, 2, 3),
            duration_hours=Decimal("1.5"),
            session_format="individual",
            supervisor_name="Ruth Okafor",
            supervisor_email="gl-reviewer@attune.example",
            supervisor_endorsement="IMHM-C",
            topic="Parallel process with a family in crisis",
        )
    return learner.training_records.count()
