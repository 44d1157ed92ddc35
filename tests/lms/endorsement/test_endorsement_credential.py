"""An endorsement granted through an application is an Open Badges 3.0 credential in the
association's name: issued on approval, valid against 1EdTech's OBv3 schema, verified by the
independent verifier, re-issued on renewal (the old one superseded in the status list) and
revoked with the endorsement (the revoked bit set), linked from the public page."""

import copy
import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditAction, AuditEvent
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import (
    Application,
    ApplicationStatus,
    Endorsement,
    EndorsementCredential,
    EndorsementSource,
)
from lms.endorsement.selectors.registry import registry_entries
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.applications import start_application, submit_application
from lms.endorsement.services.credentials import issue_endorsement_credential
from lms.endorsement.services.registry import set_registry_listing
from lms.endorsement.services.review import decide_application, record_review
from lms.endorsement.services.revocation import revoke_endorsement
from tests.credentials_verifier import client_fetch, verify
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import (
    admin_of,
    rate,
    ready_application,
    reviewer_of,
    sent_at_once,
    small_rules,
    text,
)
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db

OBV3_SCHEMA = (
    Path(__file__).parents[1] / "records" / "schemas" / "obv3" / "achievementcredential.json"
)


def obv3_errors(document) -> list[str]:
    schema = json.loads(OBV3_SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def review_all(application):
    for assignment in application.assignments.all():
        record_review(
            application=application,
            reviewer=assignment.reviewer,
            marks={a.code: ("met", "") for a in category_areas(category=application.category)},
            recommendation="approve",
        )


def approved(association, learner=None) -> Endorsement:
    """An initial application through references, review and the decision."""
    reviewer_of(association), reviewer_of(association)
    application, raters = ready_application(association, learner)
    for rater in raters:
        rate(application, rater)
    with sent_at_once():
        submit_application(application=application, learner=application.learner)
    application.refresh_from_db()
    review_all(application)
    with sent_at_once():
        decide_application(
            application=application, by=application.assignments.first().reviewer, outcome="approve"
        )
    return Endorsement.objects.get(learner=application.learner, association=association)


def download(client, endorsement) -> dict:
    client.force_login(endorsement.learner)
    response = client.get(reverse("endorsement:credential", args=[endorsement.pk]))
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def test_approval_issues_a_signed_certification_credential_that_validates_and_verifies(
    client, lakes
):
    learner = UserFactory(first_name="Rosa", last_name="Delgado")
    endorsement = approved(lakes, learner)
    issued = EndorsementCredential.objects.get(endorsement=endorsement)
    document = download(client, endorsement)

    assert obv3_errors(document) == []
    assert document["id"] == f"urn:uuid:{issued.credential_uuid}"
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["name"] == "Great Lakes Association"
    achievement = document["credentialSubject"]["achievement"]
    category = EndorsementCategory.objects.get(code="IFS")
    assert achievement["achievementType"] == "Certification"
    assert achievement["humanCode"] == "IFS"
    assert category.name in achievement["name"] and "(IFS)" in achievement["name"]
    assert document["validFrom"] == f"{endorsement.endorsed_on.isoformat()}T00:00:00Z"
    assert document["validUntil"] == f"{endorsement.renewal_due.isoformat()}T23:59:59Z"
    names = [i for i in document["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names[0]["identityHash"] == "Rosa Delgado"
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"

    result = verify(document, fetch=client_fetch(client))
    assert (result.verified, result.status, result.errors) == (True, "valid", [])
    # The same credential downloads as the same bytes.
    assert download(client, endorsement) == document


def test_a_changed_field_fails_verification(client, lakes):
    document = download(client, approved(lakes))
    for path, value in [
        (("validUntil",), "2099-12-31T23:59:59Z"),
        (("credentialSubject", "achievement", "humanCode"), "ECMH"),
        (("issuer", "name"), "Another Association"),
    ]:
        changed = copy.deepcopy(document)
        target = changed
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        result = verify(changed, fetch=client_fetch(client))
        assert not result.verified, path
        assert "the signature does not match the document" in result.errors


def test_renewal_reissues_the_credential_and_the_old_one_verifies_as_superseded(client, lakes):
    today = timezone.localdate()
    learner = UserFactory()
    endorsement = Endorsement.objects.create(
        learner=learner,
        association=lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(today.year - 2, 5, 1),
        renewal_due=datetime.date(today.year, 12, 31),
        source=EndorsementSource.APPLICATION,
    )
    issue_endorsement_credential(endorsement=endorsement)
    old = download(client, endorsement)
    issue(learner, title="This cycle's webinar", completed_on=datetime.date(today.year, 1, 2))
    renewal = start_application(
        learner=learner, association=lakes, category=endorsement.category, kind="renewal"
    )
    reviewer_of(lakes), reviewer_of(lakes)
    with sent_at_once():
        submit_application(application=renewal, learner=learner)
    renewal.refresh_from_db()
    review_all(renewal)
    with sent_at_once():
        decide_application(
            application=renewal, by=renewal.assignments.first().reviewer, outcome="approve"
        )
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.APPROVED

    new = download(client, endorsement)
    assert new["id"] != old["id"]
    assert new["validUntil"] == f"{today.year + 1}-12-31T23:59:59Z"
    assert obv3_errors(new) == []
    fresh = verify(new, fetch=client_fetch(client))
    assert (fresh.verified, fresh.status) == (True, "valid")
    stale = verify(old, fetch=client_fetch(client))
    assert (stale.verified, stale.status, stale.status_value) == (True, "superseded", 2)
    assert EndorsementCredential.objects.filter(endorsement=endorsement).count() == 2


def test_revocation_sets_the_bit_unlists_and_the_public_page_says_revoked(client, lakes):
    endorsement = approved(lakes)
    set_registry_listing(learner=endorsement.learner, endorsement_id=endorsement.pk, listed=True)
    document = download(client, endorsement)
    page_url = reverse("endorsement:verify", args=[endorsement.verification_id])
    public_url = reverse("endorsement:verify_credential", args=[endorsement.verification_id])
    client.logout()
    assert public_url in client.get(page_url).content.decode()
    assert json.loads(client.get(public_url).content) == document
    assert list(registry_entries(association=lakes)) == [endorsement]

    manager = admin_of(lakes)
    with sent_at_once():
        revoke_endorsement(endorsement=endorsement, actor=manager, reason="Code of ethics breach.")
    endorsement.refresh_from_db()
    assert endorsement.is_revoked and not endorsement.listed_in_registry
    assert list(registry_entries(association=lakes)) == []

    result = verify(document, fetch=client_fetch(client))
    assert result.verified and result.status == "revoked" and result.status_value == 1
    page = text(client.get(page_url))
    assert "Revoked : Great Lakes Association revoked the endorsement" in page
    assert "Code of ethics breach" not in page
    assert public_url not in client.get(page_url).content.decode()
    assert client.get(public_url).status_code == 404

    event = AuditEvent.objects.get(action=AuditAction.ENDORSEMENT_REVOKED)
    assert (event.actor, event.organization, event.details["reason"]) == (
        manager,
        lakes,
        "Code of ethics breach.",
    )
    message = mail.outbox[-1]
    assert message.to == [endorsement.learner.email]
    assert "Code of ethics breach." in message.body

    # The holder's download is refused with a message; listing again is refused.
    client.force_login(endorsement.learner)
    response = client.get(reverse("endorsement:credential", args=[endorsement.pk]), follow=True)
    assert "This endorsement was revoked, so it has no credential." in text(response)
    with pytest.raises(Exception, match="revoked endorsement cannot be listed"):
        set_registry_listing(
            learner=endorsement.learner, endorsement_id=endorsement.pk, listed=True
        )


def test_a_revoked_endorsement_is_not_renewed_but_applied_for_again_from_the_start(client, lakes):
    endorsement = approved(lakes)
    learner, category = endorsement.learner, endorsement.category
    revoked_document = download(client, endorsement)
    issue(learner, completed_on=timezone.localdate())
    # A renewal under way when the endorsement is revoked cannot be approved after it.
    renewal = start_application(
        learner=learner, association=lakes, category=category, kind="renewal"
    )
    revoke_endorsement(endorsement=endorsement, actor=admin_of(lakes), reason="Lapsed license.")
    with sent_at_once():
        submit_application(application=renewal, learner=learner)
    renewal.refresh_from_db()
    review_all(renewal)
    with pytest.raises(ValidationError, match="was revoked, so it cannot be renewed"):
        decide_application(
            application=renewal, by=renewal.assignments.first().reviewer, outcome="approve"
        )
    # Nor can a new renewal start; the holder's page offers a new application instead.
    with pytest.raises(ValidationError, match="start a new initial application instead"):
        start_application(learner=learner, association=lakes, category=category, kind="renewal")
    client.force_login(learner)
    page = text(client.get(reverse("endorsement:applications")))
    assert "Not renewable (revoked)" in page
    assert "Apply again for IFS with Great Lakes Association" in page
    assert "Renew IFS" not in page
    response = client.post(
        reverse("endorsement:applications"),
        {"association": lakes.slug, "category": "IFS", "kind": "initial"},
    )
    again = Application.objects.get(learner=learner, kind="initial", status=ApplicationStatus.DRAFT)
    assert response.status_code == 302 and response["Location"].endswith(f"/{again.pk}/")

    granted = approved(lakes, learner)  # carries on with that draft
    assert granted.application_id == again.pk
    assert granted.pk == endorsement.pk and not granted.is_revoked
    fresh = download(client, granted)
    assert fresh["id"] != revoked_document["id"]
    assert verify(fresh, fetch=client_fetch(client)).status == "valid"
    # The revoked credential stays revoked (and reads replaced by the new one): granting
    # again never clears a status bit.
    old = verify(revoked_document, fetch=client_fetch(client))
    assert (old.status, old.status_value) == ("superseded and revoked", 3)


def test_revoking_in_the_admin_is_for_the_associations_managers_only(client, lakes):
    endorsement = approved(lakes)
    url = reverse("applications_admin:revoke_endorsement", args=[endorsement.pk])
    other = OrganizationFactory(name="Prairie Association", slug="prairie")
    small_rules(other)
    for outsider in (reviewer_of(lakes), admin_of(other), endorsement.learner):
        client.force_login(outsider)
        assert client.post(url, {"reason": "No."}).status_code in (302, 403, 404)
    endorsement.refresh_from_db()
    assert not endorsement.is_revoked

    client.force_login(admin_of(lakes))
    application_url = reverse("applications_admin:application", args=[endorsement.application_id])
    assert url in client.get(application_url).content.decode()
    blank = client.post(url, {"reason": "  "})
    assert blank.status_code == 200
    endorsement.refresh_from_db()
    assert not endorsement.is_revoked

    response = client.post(url, {"reason": "Granted in error."})
    assert response.status_code == 302 and response["Location"] == application_url
    endorsement.refresh_from_db()
    assert endorsement.revocation_reason == "Granted in error."
    assert "Granted in error." in text(client.get(application_url))
    again = client.post(url, {"reason": "Twice."})
    assert again.status_code == 200
    endorsement.refresh_from_db()
    assert endorsement.revocation_reason == "Granted in error."


def test_a_self_reported_endorsement_has_no_credential_and_cannot_be_revoked(client, lakes):
    endorsement = Endorsement.objects.create(
        learner=UserFactory(),
        association=lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(2020, 1, 1),
    )
    client.force_login(endorsement.learner)
    response = client.get(reverse("endorsement:credential", args=[endorsement.pk]), follow=True)
    assert "Only an endorsement granted through an application" in text(response)
    with pytest.raises(Exception, match="entered by its holder"):
        revoke_endorsement(endorsement=endorsement, actor=admin_of(lakes), reason="x")
    # Someone else's endorsement is not found.
    client.force_login(UserFactory())
    assert client.get(reverse("endorsement:credential", args=[endorsement.pk])).status_code == 404


def test_an_endorsement_granted_before_credentials_gets_one_when_the_holder_asks(client, lakes):
    endorsement = Endorsement.objects.create(
        learner=UserFactory(),
        association=lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(2024, 1, 1),
        renewal_due=datetime.date(2099, 12, 31),
        source=EndorsementSource.APPLICATION,
    )
    url = reverse("endorsement:credential", args=[endorsement.pk])
    client.force_login(endorsement.learner)
    assert client.get(url).status_code == 302
    assert not EndorsementCredential.objects.filter(endorsement=endorsement).exists()
    page = client.get(reverse("endorsement:applications")).content.decode()
    assert f'action="{url}"' in page
    document = json.loads(client.post(url).content)
    assert obv3_errors(document) == []
    assert verify(document, fetch=client_fetch(client)).status == "valid"
    # Asking again gives the same credential, not a new one.
    assert json.loads(client.post(url).content) == document
    assert EndorsementCredential.objects.filter(endorsement=endorsement).count() == 1
