"""Every credential and issuer profile Attune serves validates against 1EdTech's published
Open Badges 3.0 JSON Schemas (vendored under schemas/obv3, see SOURCE.md)."""

import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from lms.records.credentials import credential_for, issuer_profile
from lms.records.models import TrainingRecord
from lms.records.services.amendments import amend_record
from tests.factories import UserFactory

from .credential_helpers import ACHIEVEMENT_SCHEMA_URL, schema_errors, with_sw_and_registry
from .factories import issue

pytestmark = pytest.mark.django_db


def fresh(record):
    return TrainingRecord.objects.get(pk=record.pk)


def test_the_schema_catches_what_it_should(framework):
    """The validator is live: a wrong alignment targetType or a missing issuer fails."""
    credential = credential_for(fresh(issue()))
    assert schema_errors(credential, "achievementcredential") == []
    wrong = json.loads(json.dumps(credential))
    wrong["credentialSubject"]["achievement"]["alignment"][0]["targetType"] = "Competency"
    assert schema_errors(wrong, "achievementcredential")
    del wrong["issuer"]
    assert any("issuer" in e for e in schema_errors(wrong, "achievementcredential"))
    undated = json.loads(json.dumps(credential))
    undated["validFrom"] = "14 March 2024"
    assert schema_errors(undated, "achievementcredential")


def test_completion_credentials_validate(framework):
    plain = credential_for(fresh(issue()))
    assert schema_errors(plain, "achievementcredential") == []
    assert plain["credentialSchema"] == [
        {"id": ACHIEVEMENT_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    without_topic_or_provider = credential_for(fresh(issue(topic="", provider_organization=None)))
    assert schema_errors(without_topic_or_provider, "achievementcredential") == []


def test_a_credential_with_claimed_credits_validates(framework):
    record = issue()
    with_sw_and_registry(record)
    credential = credential_for(fresh(record))
    assert schema_errors(credential, "achievementcredential") == []
    assert len(credential["credentialSubject"]["result"]) == 2


def test_amended_credentials_validate(framework):
    record = issue()
    amend_record(record=record, by=UserFactory(), reason="Typo", title="Attachment, revised")
    assert schema_errors(credential_for(fresh(record)), "achievementcredential") == []


def test_issuer_profiles_validate(client, framework):
    record = issue()
    credential_for(fresh(record))
    profile = issuer_profile(organization=record.provider_organization)
    assert schema_errors(profile, "profile") == []
    served = client.get(urlsplit(credential_for(fresh(record))["issuer"]["id"]).path)
    assert served.status_code == 200
    assert schema_errors(served.json(), "profile") == []
    platform = client.get(reverse("records:issuer_profile", args=["attune"])).json()
    assert schema_errors(platform, "profile") == []
