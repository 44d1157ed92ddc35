"""Factories for records tests: records are issued through the services, as in production."""

import datetime
from decimal import Decimal

from lms.records.services.issuing import issue_completion_record
from tests.factories import OrganizationFactory, UserFactory

_counter = iter(range(1, 10**9))


def issue(learner=None, **overrides):
    """Issue a platform completion through the real service (needs the `framework` fixture)."""
    n = next(_counter)
    values = {
        "learner": learner or UserFactory(),
        "source_key": f"course-run:{n}",
        "title": f"Attachment in the first year {n}",
        "completed_on": datetime.date(2024, 3, 14),
        "duration_hours": Decimal("3.50"),
        "provider_name": "Great Lakes Association",
        "facilitators": [{"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"}],
        "area_hours": {"TF": Decimal("2.50"), "REF": Decimal("1.00")},
        "topic": "Attachment",
        "delivery_format": "live_webinar",
        "dei": True,
    }
    if "provider_organization" not in overrides:
        values["provider_organization"] = OrganizationFactory()
    values.update(overrides)
    return issue_completion_record(**values)
