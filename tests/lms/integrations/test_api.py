"""The association API: a schema that validates, tokens of one association that see only the
records shared with it, revocation of tokens and consent at once, hashed tokens, cursor pages
at a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent, revoke_consent
from lms.integrations.models import AssociationApiToken
from lms.integrations.tokens import create_token, revoke_token
from lms.records.services.amendments import amend_record, revoke_record
from lms.records.services.rsc import log_rsc_session
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import admin_of
from tests.lms.records.factories import issue
from tests.lms.records.test_transcript import bulk_records

pytestmark = pytest.mark.django_db
URL = "/api/v1/records"
SCOPE = ConsentScope.ASSOCIATION_RECORDS


@pytest.fixture
def lakes(framework):
    return OrganizationFactory(name="Great Lakes Association", slug="lakes")


@pytest.fixture
def prairie(framework):
    return OrganizationFactory(name="Prairie Association", slug="prairie")


def token_for(association):
    _, plaintext = create_token(association=association, name="EASy", by=admin_of(association))
    return plaintext


def get(client, token, **params):
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def sharing(association, learner=None):
    learner = learner or UserFactory()
    grant_consent(user=learner, organization=association, scope=SCOPE)
    return learner


def test_the_openapi_schema_validates(client):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    assert schema["info"]["version"] == "1"
    operation = schema["paths"]["/api/v1/records"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"updated_since", "cursor", "limit"}
    assert operation["security"] == [{"AssociationToken": []}]
    record = schema["components"]["schemas"]["Record"]["properties"]
    for field in (
        "date",
        "duration_hours",
        "facilitators",
        "title",
        "topic",
        "provider",
        "competency_areas",
        "verification_url",
        "verification_tier",
    ):
        assert field in record
    assert client.get("/api/v1/docs").status_code == 200


def test_a_token_sees_only_learners_who_share_with_its_association(client, lakes, prairie):
    with_lakes = sharing(lakes)
    only_prairie = sharing(prairie)
    nobody = UserFactory()
    revoked = sharing(lakes)
    shared = issue(with_lakes, title="Shared with Great Lakes")
    issue(only_prairie, title="Shared with Prairie")
    issue(nobody, title="Not shared")
    issue(revoked, title="Consent taken back")
    revoke_consent(user=revoked, organization=lakes, scope=SCOPE)

    body = get(client, token_for(lakes)).json()
    assert [r["title"] for r in body["items"]] == ["Shared with Great Lakes"]
    item = body["items"][0]
    assert item["id"] == str(shared.verification_id)
    assert item["learner"] == {"name": with_lakes.get_full_name(), "email": with_lakes.email}
    assert item["date"] == "2024-03-14" and item["duration_hours"] == "3.50"
    assert item["facilitators"] == [{"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"}]
    assert item["competency_areas"][0] == {
        "code": "TF",
        "name": "Theoretical Foundations",
        "hours": "2.50",
    }
    assert item["verification_url"].endswith(f"/verify/{shared.verification_id}/")
    assert item["verification_tier"] == "platform_verified"
    assert item["rsc"] is None

    prairie_titles = [r["title"] for r in get(client, token_for(prairie)).json()["items"]]
    assert prairie_titles == ["Shared with Prairie"]
    # Revoking consent takes effect with the next request.
    revoke_consent(user=with_lakes, organization=lakes, scope=SCOPE)
    assert get(client, token_for(lakes)).json()["items"] == []


def test_rsc_sessions_come_with_their_cosignature(client, lakes):
    learner = sharing(lakes)
    log_rsc_session(
        learner=learner,
        session_date=datetime.date(2024, 2, 1),
        duration_hours=Decimal("1.5"),
        session_format="group",
        supervisor_name="Rae Moreno",
        supervisor_email="rae@attune.test",
        supervisor_endorsement="IMHM-C",
    )
    (item,) = get(client, token_for(lakes)).json()["items"]
    assert item["kind"] == "rsc_session"
    assert item["rsc"] == {
        "session_format": "group",
        "supervisor": "Rae Moreno",
        "supervisor_endorsement": "IMHM-C",
        "cosign_status": "pending",
    }


def test_tokens_are_refused_when_revoked_wrong_or_missing(client, lakes):
    sharing(lakes)
    admin = admin_of(lakes)
    row, plaintext = create_token(association=lakes, name="EASy", by=admin)
    assert get(client, plaintext).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    revoke_token(token=row, by=admin)
    assert get(client, plaintext).status_code == 401
    assert get(client, plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")).status_code == 401
    assert get(client, "attune_nope_nope").status_code == 401
    assert client.get(URL).status_code == 401
    # Only the association's administrators make and revoke tokens.
    with pytest.raises(PermissionError):
        create_token(association=lakes, name="Mine", by=UserFactory())


def test_tokens_are_not_stored_in_clear(lakes):
    row, plaintext = create_token(association=lakes, name="EASy", by=admin_of(lakes))
    stored = AssociationApiToken.objects.filter(pk=row.pk).values().get()
    assert plaintext not in {str(v) for v in stored.values()}
    assert plaintext.startswith(f"attune_{row.prefix}_")
    assert len(row.digest) == 64 and row.digest not in plaintext
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM endorsement_associationapitoken")
        assert not any(plaintext in str(value) for value in cursor.fetchone())


def test_cursor_pages_walk_every_record_once_and_updated_since_syncs_changes(client, lakes):
    learner = sharing(lakes)
    records = [issue(learner, title=f"Training {i}") for i in range(5)]
    token = token_for(lakes)
    seen, cursor, pages = [], None, 0
    while True:
        body = get(client, token, limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [r["title"] for r in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.title for r in records) and pages == 3
    last_sync = timezone.now()

    amend_record(
        records[1], by=UserFactory(), reason="Typo", title="Training one"
    ) if False else None
    amend_record(record=records[1], by=UserFactory(), reason="Typo", title="Training one")
    revoke_record(record=records[2], by=UserFactory(), reason="Issued in error")
    changed = get(client, token, updated_since=last_sync.isoformat()).json()["items"]
    assert [(r["title"], r["status"], r["amended"]) for r in changed] == [
        ("Training one", "valid", ["title"]),
        ("Training 2", "revoked", []),
    ]
    assert get(client, token, cursor="forged").status_code == 400
    assert get(client, token, limit=501).status_code == 422


def test_a_consent_given_later_brings_older_records_into_a_sync(client, lakes):
    learner = UserFactory()
    issue(learner, title="Before consenting")
    token = token_for(lakes)
    since = timezone.now()
    sharing(lakes, learner)
    assert [
        r["title"] for r in get(client, token, updated_since=since.isoformat()).json()["items"]
    ] == ["Before consenting"]


def test_a_page_of_100_takes_the_same_queries_at_any_size(client, lakes):
    token = token_for(lakes)
    get(client, token)  # the first use records when the token was last used

    def queries_for_page(record_count):
        learner = sharing(lakes)
        bulk_records(learner, record_count)
        with CaptureQueriesContext(connection) as ctx:
            body = get(client, token, limit=100).json()
        assert len(body["items"]) == 100
        return len(ctx.captured_queries)

    small = queries_for_page(100)
    large = queries_for_page(400)
    assert small == large
    assert small <= 8


def test_the_openapi_document_declares_every_status_the_api_answers(client, framework):
    """200 with a page, 400 for a cursor that is not ours, 401 without a valid token, 422 for
    a parameter out of range: each is answered and each is in the document, with the shape
    the body has."""
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/records"]["get"]
    assert set(operation["responses"]) == {"200", "400", "401", "422"}
    token = token_for(OrganizationFactory(kind="association"))
    assert get(client, token, cursor="not-ours").json() == {
        "detail": "The cursor is not valid; start again without one."
    }
    assert get(client, "attune_nope_nope").json() == {"detail": "Unauthorized"}
    invalid = get(client, token, limit=0)
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"][-1] == "limit"
