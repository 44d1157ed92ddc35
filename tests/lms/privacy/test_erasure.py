"""Erasure: the learner asks, a platform admin processes; the name and e-mail go from every
screen, export, API answer, webhook payload and the audit report, and records still verify."""

import json

import pytest
from django.utils import timezone

from lms.accounts.erasure import process_erasure, request_erasure
from lms.accounts.models import ErasureRequest, ErasureStatus, User
from lms.audit.models import AuditAction, AuditEvent
from lms.endorsement.models import Application, Endorsement
from lms.integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from lms.integrations.tokens import create_token
from lms.organizations.models import Organization, StaffMember
from lms.records import credentials, documents
from lms.records.models import PlatformCompletion, RSCSession, TrainingRecord

NAME = "Lee Parker"
EMAIL = "learner@attune.example"
WITHHELD = "Name withheld at the learner&#x27;s request"


def _admin():
    return User.objects.get(email="admin@attune.example")


def _queue_webhook(learner, association):
    endpoint = WebhookEndpoint.objects.create(
        association=association, url="https://easy.example/hook", secret_salt="s", secret_hint="h"
    )
    event = WebhookEvent.objects.create(
        association=association,
        learner=learner,
        type="record.issued",
        payload={"data": {"record": {"learner": {"name": NAME, "email": EMAIL}}}},
    )
    WebhookDelivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=timezone.now())
    return event


def test_a_learner_asks_with_their_password_and_a_wrong_one_changes_nothing(client, demo_world):
    learner = demo_world
    learner.set_password("correct horse")
    learner.save()
    client.force_login(learner)
    response = client.post("/account/data/erase/", {"password": "wrong"})
    assert response.status_code == 400
    assert b"That is not your password." in response.content
    assert not ErasureRequest.objects.exists()
    response = client.post(
        "/account/data/erase/", {"password": "correct horse", "reason": "Moving"}
    )
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(user=learner)
    assert erasure.status == ErasureStatus.REQUESTED
    assert AuditEvent.objects.filter(
        action=AuditAction.ERASURE_REQUESTED, target_id=str(learner.pk)
    ).exists()
    # Asking again keeps the one open request.
    client.post("/account/data/erase/", {"password": "correct horse"})
    assert ErasureRequest.objects.filter(user=learner).count() == 1
    page = client.get("/account/data/")
    assert b"Requested" in page.content
    # The retention rule of the association holding their records is shown.
    assert b"Great Lakes" in page.content and b"Kept for 7 years" in page.content


def test_processing_removes_the_name_everywhere_and_records_still_verify(client, demo_world):
    learner = demo_world
    great_lakes = Organization.objects.get(slug="great-lakes")
    event = _queue_webhook(learner, great_lakes)
    completion = PlatformCompletion.objects.filter(learner=learner).first()
    signed_before = credentials.credential_for(completion)
    records_before = TrainingRecord.objects.filter(learner=learner).count()
    endorsements_before = Endorsement.objects.filter(learner=learner).count()
    erasure = request_erasure(user=learner)

    client.force_login(_admin())
    page = client.get(f"/admin/erasure-requests/{erasure.pk}/")
    assert page.status_code == 200
    assert b"Kept for 7 years" in page.content
    assert client.get("/admin/erasure-requests/").status_code == 200
    response = client.post(f"/admin/erasure-requests/{erasure.pk}/", {"process": "1"})
    assert response.status_code == 302

    erasure.refresh_from_db()
    learner.refresh_from_db()
    anonymous = erasure.anonymous_id
    assert erasure.status == ErasureStatus.COMPLETED and anonymous.startswith("erased-")
    assert learner.email == f"{anonymous}@invalid"
    assert (learner.first_name, learner.last_name) == ("", "")
    assert not learner.is_active and not learner.has_usable_password()
    assert learner.profile.job_role == ""
    # Evidence stays; what they wrote about their RSC sessions goes.
    assert not RSCSession.objects.filter(learner=learner).exclude(topic="").exists()
    assert RSCSession.objects.filter(learner=learner).exists()
    assert TrainingRecord.objects.filter(learner=learner).count() == records_before
    assert Endorsement.objects.filter(learner=learner).count() == endorsements_before

    def hidden(content: bytes):
        text = content.decode()
        assert NAME not in text and EMAIL not in text and "Parker" not in text

    # The public verification page: valid, name withheld.
    verify = client.get(f"/verify/{completion.verification_id}/")
    hidden(verify.content)
    assert b"Valid" in verify.content and WITHHELD.encode() in verify.content
    # A credential signed before the erasure still verifies; one made now too.
    assert credentials.verify_credential(signed_before).status == "valid"
    fresh = PlatformCompletion.objects.select_related("learner").get(pk=completion.pk)
    signed_after = credentials.credential_for(fresh)
    assert credentials.verify_credential(signed_after).verified
    hidden(json.dumps(signed_after).encode())
    identities = signed_after["credentialSubject"]["identifier"]
    assert [i["identityType"] for i in identities] == ["emailAddress"]
    # The certificate.
    completion = PlatformCompletion.objects.select_related("learner").get(pk=completion.pk)
    hidden(documents.certificate_html(completion).encode())
    # Staff screens and exports: issued records (page and CSV), the center roster.
    client.force_login(User.objects.get(email="gl-admin@attune.example"))
    hidden(client.get("/admin/issued-records/").content)
    hidden(client.get("/admin/issued-records/", {"format": "csv"}).content)
    hidden(client.get(f"/admin/issued-records/{completion.verification_id}/").content)
    staff = StaffMember.objects.get(user=learner)
    assert staff.roster_name == "" and staff.status == "left"
    client.force_login(User.objects.get(email="manager@attune.example"))
    hidden(client.get(f"/centers/{staff.center.slug}/roster/").content)
    csv = client.get(f"/centers/{staff.center.slug}/staff.csv")
    hidden(b"".join(csv.streaming_content))
    # The association's API.
    _, token = create_token(association=great_lakes, name="EASy", by=_admin())
    api = client.get("/api/v1/records", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    hidden(api.content)
    # Webhook payloads still pending.
    event.refresh_from_db()
    hidden(str(event.payload).encode())
    assert f"{anonymous}@invalid" in str(event.payload)
    # The audit report shows the anonymous id.
    client.force_login(_admin())
    report = client.get("/admin/audit-log/")
    hidden(report.content)
    assert anonymous.encode() in report.content
    done = AuditEvent.objects.get(action=AuditAction.ERASURE_COMPLETED)
    assert done.target_repr == anonymous and done.actor_id == _admin().pk
    # The person cannot sign in any more.
    assert not client.login(email=EMAIL, password="attune-demo")


def test_reviewers_see_no_name_once_an_applicant_is_erased(client, framework, no_search_index):
    from demo.loader import load_demo

    load_demo()
    application = Application.objects.exclude(submitted_at=None).select_related("learner").first()
    applicant = application.learner
    name, email = applicant.get_full_name(), applicant.email
    process_erasure(erasure_request=request_erasure(user=applicant), processed_by=_admin())
    client.force_login(User.objects.get(email="gl-admin@attune.example"))
    for url in (
        "/admin/endorsement-applications/",
        f"/admin/endorsement-applications/{application.pk}/",
    ):
        content = client.get(url).content.decode()
        assert name not in content and email not in content


@pytest.mark.parametrize("who", ["learner@attune.example", "gl-admin@attune.example"])
def test_only_platform_admins_see_erasure_requests(client, demo_world, who):
    erasure = request_erasure(user=demo_world)
    client.force_login(User.objects.get(email=who))
    assert client.get("/admin/erasure-requests/").status_code in (302, 403)
    assert client.post(f"/admin/erasure-requests/{erasure.pk}/", {"process": "1"}).status_code in (
        302,
        403,
    )
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.REQUESTED
