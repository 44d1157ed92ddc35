import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lms.organizations.models import Role
from lms.records.models import (
    CosignStatus,
    ExternalTraining,
    RSCSession,
    TrainingRecord,
    VerificationTier,
)
from lms.records.services.amendments import amend_record, revoke_record
from tests.factories import MembershipFactory, UserFactory

from .factories import issue

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def external_form(**overrides):
    data = {
        "title": "Circle of Security Parenting",
        "provider_name": "Riverbend Clinic",
        "completed_on": "2019-05-02",
        "duration_hours": "6",
        "delivery_format": "in_person",
        "facilitators": "Jo Park, LMSW\nAl Reyes",
        "hours_TF": "4",
        "hours_DSS": "2",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def learner(client, framework):
    user = UserFactory(first_name="Lee", last_name="Parker")
    client.force_login(user)
    return user


def test_add_external_training_with_pdf_evidence(client, learner):
    upload = SimpleUploadedFile("cert.bin", PDF_BYTES, content_type="application/octet-stream")
    response = client.post(reverse("records:add_external"), {**external_form(), "evidence": upload})
    record = ExternalTraining.objects.get(learner=learner)
    assert response.status_code == 302
    assert record.verification_tier == VerificationTier.SELF_REPORTED
    assert record.evidence_content_type == "application/pdf"
    assert record.evidence.name.endswith(".pdf")
    assert "cert" not in record.evidence.name
    download = client.get(reverse("records:evidence", args=[record.verification_id]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    page = client.get(reverse("records:mine"))
    assert "Circle of Security Parenting" in page.content.decode()
    assert "Self-reported" in page.content.decode()


def test_png_evidence_is_accepted(client, learner):
    upload = SimpleUploadedFile("photo.pdf", png_bytes(), content_type="application/pdf")
    client.post(reverse("records:add_external"), {**external_form(), "evidence": upload})
    record = ExternalTraining.objects.get(learner=learner)
    assert record.evidence_content_type == "image/png"
    assert record.evidence.name.endswith(".png")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"completed_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()},
            "cannot be in the future",
        ),
        ({"duration_hours": "0", "hours_TF": None, "hours_DSS": None}, "more than zero"),
        ({"duration_hours": "-2", "hours_TF": None, "hours_DSS": None}, "more than zero"),
        ({"hours_DSS": "1"}, "add up to 5, but the duration is 6"),
        ({"hours_TF": None, "hours_DSS": None}, "at least one competency area"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_external_training_errors_are_clear_and_nothing_is_saved(
    client, learner, overrides, message
):
    response = client.post(reverse("records:add_external"), external_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"just some text, not a PDF at all", "Upload a PDF or an image"),
        ("script.png", b"<script>alert(1)</script>", "Upload a PDF or an image"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "too large"),
    ],
)
def test_bad_evidence_is_refused(client, learner, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("records:add_external"), {**external_form(), "evidence": upload})
    assert message in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_self_reported_records_get_no_certificate(client, learner):
    client.post(reverse("records:add_external"), external_form())
    record = ExternalTraining.objects.get(learner=learner)
    response = client.get(reverse("records:certificate", args=[record.verification_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("records:detail", args=[record.verification_id])


def test_records_of_others_are_not_found(client, learner, framework):
    other = issue()
    for name in ("records:detail", "records:certificate", "records:credential"):
        assert client.get(reverse(name, args=[other.verification_id])).status_code == 404


def test_certificate_download_for_owner_and_issuing_organization(client, learner):
    record = issue(learner)
    response = client.get(reverse("records:certificate", args=[record.verification_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    staff = MembershipFactory(organization=record.provider_organization, role=Role.REVIEWER).user
    client.force_login(staff)
    assert (
        client.get(reverse("records:certificate", args=[record.verification_id])).status_code == 200
    )
    client.force_login(MembershipFactory(role=Role.ADMIN).user)  # another association
    assert (
        client.get(reverse("records:certificate", args=[record.verification_id])).status_code == 404
    )


def test_credential_download_verifies(client, learner):
    record = issue(learner)
    response = client.get(reverse("records:credential", args=[record.verification_id]))
    assert response.status_code == 200
    verified = client.post(
        reverse("records:verify_credential"), data=response.content, content_type="application/json"
    )
    assert verified.json() == {
        "verified": True,
        "status": "valid",
        "errors": [],
        "record": {
            "verification_url": f"http://testserver/verify/{record.verification_id}/",
            "revoked": False,
            "revocation_reason": "",
            "amendments": 0,
        },
    }


def test_verification_page_shows_facts_amendments_and_revocation(client, framework):
    learner = UserFactory(first_name="Rosa", last_name="Delgado", email="rosa@example.org")
    record = issue(learner)
    url = reverse("records:verify", args=[record.verification_id])
    page = client.get(url).content.decode()
    assert "Valid" in page
    assert "Rosa Delgado" in page
    assert "rosa@example.org" not in page
    assert "3.5 clock hours" in page
    assert "Dana Whitfield" in page
    amend_record(
        record=record,
        by=UserFactory(),
        reason="Agenda listed the wrong date",
        completed_on=datetime.date(2024, 3, 15),
    )
    page = client.get(url).content.decode()
    assert "Agenda listed the wrong date" in page
    assert "Date: 2024-03-14 → 2024-03-15" in page
    assert "March 15, 2024" in page
    revoke_record(record=record, by=UserFactory(), reason="Duplicate of another record")
    page = client.get(url).content.decode()
    assert "Revoked" in page
    assert "Duplicate of another record" in page
    assert (
        client.get(
            reverse("records:verify", args=["0" * 8 + "-0000-4000-8000-" + "0" * 12])
        ).status_code
        == 404
    )


def cosign_link() -> str:
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/records/rsc/cosign/\S+/)", body).group(1)


def log_session(client, django_capture_on_commit_callbacks, email="sup@example.org"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("records:log_rsc"),
            {
                "session_date": "2024-02-01",
                "duration_hours": "1.5",
                "session_format": "individual",
                "delivery_format": "in_person",
                "supervisor_name": "Sam Supervisor",
                "supervisor_email": email,
                "supervisor_endorsement": "IMHM-C",
            },
        )
    assert response.status_code == 302
    return RSCSession.objects.latest("pk")


def test_rsc_cosign_confirm_then_link_is_used(client, learner, django_capture_on_commit_callbacks):
    record = log_session(client, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["sup@example.org"]
    link = cosign_link()
    detail = client.get(reverse("records:detail", args=[record.verification_id])).content.decode()
    assert "Awaiting co-signature" in detail

    supervisor = UserFactory(email="Sup@Example.org")
    client.force_login(supervisor)
    assert "Confirm this session" in client.get(link).content.decode()
    done = client.post(link, {"decision": "confirm", "comment": "Good work"})
    assert done.status_code == 200
    record.refresh_from_db()
    assert record.cosign_status == CosignStatus.CONFIRMED
    assert record.verification_tier == VerificationTier.PROVIDER_ATTESTED
    assert record.cosigned_by == supervisor

    again = client.post(link, {"decision": "decline"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    record.refresh_from_db()
    assert record.cosign_status == CosignStatus.CONFIRMED

    client.force_login(learner)
    detail = client.get(reverse("records:detail", args=[record.verification_id])).content.decode()
    assert "Co-signed" in detail


def test_rsc_cosign_wrong_user_and_anonymous(client, learner, django_capture_on_commit_callbacks):
    record = log_session(client, django_capture_on_commit_callbacks)
    link = cosign_link()
    refused = client.post(link, {"decision": "confirm"})  # the learner themself
    assert refused.status_code == 403
    client.force_login(UserFactory(email="someone-else@example.org"))
    assert client.post(link, {"decision": "confirm"}).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302
    record.refresh_from_db()
    assert record.cosign_status == CosignStatus.PENDING


def test_rsc_cosign_expired_and_replaced_links(
    client, learner, monkeypatch, django_capture_on_commit_callbacks
):
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 15 * 24 * 3600)
    record = log_session(client, django_capture_on_commit_callbacks)
    monkeypatch.setattr(signing.time, "time", real_time)
    old_link = cosign_link()
    client.force_login(UserFactory(email="sup@example.org"))
    expired = client.post(old_link, {"decision": "confirm"})
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()

    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("records:rsc_resend", args=[record.verification_id]))
    new_link = cosign_link()
    assert new_link != old_link
    client.force_login(record_supervisor := UserFactory(email="sup2@example.org"))
    assert client.get(new_link).status_code == 403
    assert record_supervisor.pk
    record.refresh_from_db()
    assert record.cosign_status == CosignStatus.PENDING


def test_transcript_page_csv_and_pdf(client, learner):
    issue(
        learner,
        duration_hours=Decimal("2"),
        area_hours={"TF": Decimal("2")},
        completed_on=datetime.date(2023, 6, 1),
    )
    issue(learner)
    page = client.get(reverse("records:transcript")).content.decode()
    assert "5.5" in page and "2023" in page and "2024" in page
    csv_response = client.get(reverse("records:transcript_csv"))
    assert csv_response["Content-Type"] == "text/csv"
    assert csv_response.content.decode().count("\n") == 3
    pdf = client.get(reverse("records:transcript_pdf"))
    assert pdf.content.startswith(b"%PDF")


def test_issuer_profile_lists_keys(client, learner):
    record = issue(learner)
    client.get(reverse("records:credential", args=[record.verification_id]))
    profile = client.get(
        reverse("records:issuer_profile", args=[record.provider_organization.slug])
    ).json()
    assert profile["type"] == ["Profile"]
    assert profile["verificationMethod"][0]["type"] == "Multikey"


def test_external_training_form_reads_top_down_with_a_running_total(client, learner):
    html = client.get(reverse("records:add_external")).content.decode()
    # Every label sits above its field.
    for name in ("title", "provider_name", "completed_on", "duration_hours", "hours_TF"):
        label = html.index(f'<label for="id_{name}"')
        assert label < html.index(f'id="id_{name}"', label + 1)
    assert 'data-duration=""' in html and html.count('data-area-hours=""') >= 8
    assert 'id="area-total" role="status" data-running-total' in html
    assert "/static/records/running_total.js" in html
    assert "<legend>Hours per competency area</legend>" in html
    # Help text is where Django's aria-describedby points.
    assert 'aria-describedby="id_provider_name_helptext"' in html
    assert 'id="id_provider_name_helptext"' in html


def test_an_uneven_total_is_still_refused_by_the_server(client, learner):
    response = client.post(reverse("records:add_external"), external_form(hours_DSS="1"))
    assert response.status_code == 200
    assert not ExternalTraining.objects.filter(learner=learner).exists()
    assert "add up" in response.content.decode()


def test_rsc_form_groups_the_session_and_the_supervisor(client, learner):
    html = client.get(reverse("records:log_rsc")).content.decode()
    assert "<legend>The session</legend>" in html
    assert "<legend>Your supervisor or consultant</legend>" in html
    assert re.search(r"<legend>Session format <span aria-hidden=\"true\">\*</span></legend>", html)
    label = html.index('<label for="id_supervisor_email"')
    assert label < html.index('id="id_supervisor_email"', label + 1)


def test_a_signing_key_the_server_cannot_decrypt_is_logged_not_shown_to_the_learner(
    client, learner, settings, caplog
):
    record = issue(learner)
    url = reverse("records:credential", args=[record.verification_id])
    assert client.get(url).status_code == 200  # the issuer's key now exists
    settings.ATTUNE_CREDENTIAL_KEY = "a key this database was never encrypted with"
    response = client.get(url, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/records/{record.verification_id}/")
    assert "cannot sign credentials at the moment" in page
    assert "ATTUNE_CREDENTIAL_KEY" not in page and "operations.md" not in page
    assert "ATTUNE_CREDENTIAL_KEY" in caplog.text
