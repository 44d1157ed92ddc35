"""A learner downloads their records as one signed CLR 2.0 ``ClrCredential``: all their
valid platform completions or a chosen set, each embedded credential verifying on its own,
the CLR verifying and validating against 1EdTech's CLR 2.0 schema; a chosen record that is
not theirs, revoked or not a platform completion refuses the whole CLR and changes nothing."""

import copy
import datetime
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from lms.records.models import RecordEvent
from lms.records.models_status import CredentialStatusEntry
from lms.records.services.amendments import revoke_record
from lms.records.services.external import add_external_training
from tests.credentials_verifier import client_fetch, verify
from tests.factories import CenterFactory, OrganizationFactory, UserFactory
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


def _validator(path: Path):
    schema = json.loads(path.read_text())
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


def schema_errors(document, path: Path) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(path).iter_errors(document)]


CLR_SCHEMA = SCHEMAS / "clr" / "clr_v2p0_clrcredential_schema.json"
OBV3_SCHEMA = SCHEMAS / "obv3" / "achievementcredential.json"


@pytest.fixture
def learner(framework):
    person = UserFactory(first_name="Ana", last_name="Ortiz")
    lakes = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    center = CenterFactory(name="Sunrise Center")
    first = issue(person, title="Attachment basics", provider_organization=lakes)
    second = issue(
        person,
        title="Reflective practice",
        provider_organization=center,
        completed_on=datetime.date(2024, 5, 2),
    )
    revoked = issue(person, title="Withdrawn webinar", provider_organization=lakes)
    revoke_record(record=revoked, by=UserFactory(), reason="Issued in error.")
    external = add_external_training(
        learner=person,
        title="Conference workshop",
        completed_on=datetime.date(2023, 9, 1),
        duration_hours=Decimal("2.00"),
        provider_name="State conference",
        area_hours={"TF": Decimal("2.00")},
        delivery_format="in_person",
    )
    person.records = {"first": first, "second": second, "revoked": revoked, "external": external}
    person.lakes = lakes
    return person


def post(client, learner, data):
    client.force_login(learner)
    return client.post(reverse("records:clr"), data)


def test_all_records_as_one_clr_that_validates_and_verifies_with_each_credential(client, learner):
    response = post(client, learner, {"scope": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)

    assert schema_errors(document, CLR_SCHEMA) == []
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["partial"] is False
    assert document["issuer"]["name"] == "Attune"
    subject = document["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    embedded = subject["verifiableCredential"]
    # Newest first; the revoked record and the self-reported one are not in it.
    assert [c["name"] for c in embedded] == ["Reflective practice", "Attachment basics"]
    assert [a["name"] for a in subject["achievement"]] == [c["name"] for c in embedded]

    fetch = client_fetch(client)
    clr = verify(document, fetch=fetch)
    assert (clr.verified, clr.status, clr.errors) == (True, "valid", [])
    for credential in embedded:
        assert schema_errors(credential, OBV3_SCHEMA) == []
        alone = verify(credential, fetch=fetch)
        assert (alone.verified, alone.status) == (True, "valid"), alone.errors
    # Each embedded credential is the one the record's own download gives.
    own = client.get(reverse("records:credential", args=[learner.records["first"].verification_id]))
    assert json.loads(own.content) == embedded[1]
    assert RecordEvent.objects.filter(
        kind=RecordEvent.Kind.CREDENTIAL_DOWNLOADED, record=learner.records["second"]
    ).exists()


def test_a_chosen_set_signed_by_an_association_that_provided_one(client, learner):
    chosen = learner.records["first"]
    response = post(
        client, learner, {"record": [str(chosen.verification_id)], "issuer": learner.lakes.slug}
    )
    document = json.loads(response.content)
    assert schema_errors(document, CLR_SCHEMA) == []
    assert document["partial"] is True
    assert document["issuer"]["name"] == "Great Lakes Association"
    assert [c["name"] for c in document["credentialSubject"]["verifiableCredential"]] == [
        "Attachment basics"
    ]
    result = verify(document, fetch=client_fetch(client))
    assert result.verified and result.status == "valid"


def test_a_changed_field_fails_and_a_record_revoked_later_shows_in_its_credential(client, learner):
    document = json.loads(post(client, learner, {"scope": "all"}).content)
    fetch = client_fetch(client)
    changed = copy.deepcopy(document)
    changed["credentialSubject"]["verifiableCredential"].pop()
    assert not verify(changed, fetch=fetch).verified
    renamed = copy.deepcopy(document)
    renamed["credentialSubject"]["verifiableCredential"][0]["name"] = "Advanced attachment"
    assert not verify(renamed["credentialSubject"]["verifiableCredential"][0], fetch=fetch).verified

    revoke_record(record=learner.records["first"], by=UserFactory(), reason="Duplicate.")
    inside = verify(document["credentialSubject"]["verifiableCredential"][1], fetch=fetch)
    assert inside.verified and inside.status == "revoked"


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("someone_elses", "One of the chosen records is not one of yours."),
        ("revoked", "“Withdrawn webinar” was revoked, so it cannot go in a CLR."),
        ("external", "Only training completed through Attune goes in a CLR"),
        ("garbage", "One of the chosen records is not one of yours."),
        ("none", "Choose at least one record for the CLR."),
    ],
)
def test_refusals_name_the_problem_and_change_nothing(client, learner, which, message):
    stranger = issue(UserFactory(), title="Someone else's training")
    ids = {
        "someone_elses": [str(stranger.verification_id)],
        "revoked": [str(learner.records["revoked"].verification_id)],
        "external": [str(learner.records["external"].verification_id)],
        "garbage": ["not-a-uuid"],
        "none": [],
    }[which]
    entries = CredentialStatusEntry.objects.count()
    events = RecordEvent.objects.count()
    response = post(
        client,
        learner,
        {"record": [str(learner.records["first"].verification_id), *ids]}
        if which != "none"
        else {},
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert CredentialStatusEntry.objects.count() == entries
    assert RecordEvent.objects.count() == events
    assert "Someone else" not in response.content.decode()


def test_an_association_that_provided_none_of_the_records_cannot_sign(client, learner):
    other = OrganizationFactory(name="Prairie Association", slug="prairie")
    response = post(client, learner, {"scope": "all", "issuer": other.slug})
    assert response.status_code == 400
    assert "Only Attune, or an association that provided one of your records" in (
        response.content.decode()
    )


def test_the_choice_page_lists_valid_completions_and_notes_revoked_ones(client, learner):
    client.force_login(learner)
    page = client.get(reverse("records:clr")).content.decode()
    assert "Attachment basics" in page and "Reflective practice" in page
    assert "Withdrawn webinar" not in page and "Conference workshop" not in page
    assert "1 revoked record is not offered" in page
    assert 'value="lakes"' in page
    first, second = learner.records["first"], learner.records["second"]
    preselected = client.get(f"{reverse('records:clr')}?record={first.verification_id}")
    assert f'value="{first.verification_id}" checked' in preselected.content.decode()
    assert f'value="{second.verification_id}" checked' not in preselected.content.decode()
    mine = client.get(reverse("records:mine")).content.decode()
    assert reverse("records:clr") in mine and "Download all as a CLR" in mine


def test_only_signed_in_learners(client, framework):
    response = client.post(reverse("records:clr"), {"scope": "all"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_clr_costs_a_fixed_number_of_queries_per_record(client, framework):
    """Each record's credential is read (and, the first time, given its status entry) on its
    own; the CLR adds a fixed cost around them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(count):
        person = UserFactory()
        for n in range(count):
            issue(person, title=f"Training {n}")
        client.force_login(person)
        with CaptureQueriesContext(connection) as first:
            assert client.post(reverse("records:clr"), {"scope": "all"}).status_code == 200
        with CaptureQueriesContext(connection) as again:
            assert client.post(reverse("records:clr"), {"scope": "all"}).status_code == 200
        return len(first), len(again)

    two, six, ten = cost(2), cost(6), cost(10)
    # Measured: (63, 40), (135, 84), (211, 128): 11 a record once each record's credential
    # has its status entry, 18 or 19 the first time (the entry is allocated).
    again = [(six[1] - two[1]) / 4, (ten[1] - six[1]) / 4]
    assert again[0] == again[1] <= 12, (two, six, ten)
    assert (ten[0] - two[0]) / 8 <= 20, (two, six, ten)
