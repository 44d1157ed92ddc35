"""The API against its own OpenAPI document: schemathesis generates requests from the
document (valid and not), sends them to the app in process with a real token, and runs every
check: no 5xx, every status and body as documented, the documented content type."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.factories import OrganizationFactory
from tests.lms.integrations.test_api import sharing, token_for
from tests.lms.records.factories import issue

# Every check on. A cursor is an opaque signed token: one the API did not issue is valid by
# the document's shape and answered 400, as documented, so 400 is an expected answer to
# schema-valid data too.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400"]}}}
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture
def bearer(framework):
    association = OrganizationFactory(kind="association")
    issue(learner=sharing(association), provider_organization=association)
    return token_for(association)


@pytest.mark.django_db(transaction=True)  # the app in process closes connections
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_document_says(case, bearer):
    case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"})
