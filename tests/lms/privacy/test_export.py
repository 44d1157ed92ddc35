"""A learner downloads everything Attune holds about them, and nobody else's data."""

import io
import json
import zipfile

from lms.accounts.models import User
from lms.accounts.privacy import sections
from lms.audit.models import AuditAction, AuditEvent

from .conftest import OTHER_LEARNER

EXPECTED_KINDS = {
    "profile",
    "consents",
    "erasure_requests",
    "audit_entries",
    "memberships",
    "facilitator_profiles",
    "center_staff",
    "center_seats",
    "training_records",
    "rsc_sessions",
    "endorsements",
    "applications",
    "checklist",
    "enrollments",
    "lesson_progress",
    "watch_progress",
    "quiz_attempts",
    "evaluations",
    "attendance",
}


def _download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post("/account/data/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_every_app_registers_its_section():
    assert {s.name for s in sections() if s.export} >= EXPECTED_KINDS


def test_the_demo_learner_downloads_every_kind_of_their_data_and_nobody_elses(client, demo_world):
    learner = demo_world
    archive = _download(client, learner)
    names = set(archive.namelist())
    assert {f"{kind}.json" for kind in EXPECTED_KINDS} <= names
    assert "README.txt" in names
    readme = archive.read("README.txt").decode()
    for kind in EXPECTED_KINDS:
        assert f"{kind}.json" in readme

    data = {name[:-5]: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
    # The demo learner has some of every kind.
    for kind in EXPECTED_KINDS - {
        "erasure_requests",
        "facilitator_profiles",
        "lesson_progress",
        "center_seats",
        "memberships",
        "applications",
    }:
        assert data[kind], f"{kind}.json is empty"
    assert data["profile"]["email"] == learner.email
    assert data["profile"]["profile"]["job_role"] == "Home visitor"
    assert any(r["supervisor_name"] for r in data["rsc_sessions"])
    assert data["evaluations"][0]["answers"]["comment"].startswith("Lee Parker")
    pdfs = [n for n in names if n.startswith("documents/") and n.endswith(".pdf")]
    assert "documents/transcript.pdf" in pdfs
    assert any(n.startswith("documents/certificate-") for n in pdfs)
    assert all(archive.read(n).startswith(b"%PDF") for n in pdfs)

    other = User.objects.get(email=OTHER_LEARNER)
    everything = b"".join(archive.read(n) for n in names if not n.endswith(".pdf")).lower()
    for text in (other.email, other.first_name + " " + other.last_name, other.last_name):
        assert text.lower().encode() not in everything

    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_EXPORTED)
    assert event.target_id == str(learner.pk) and event.actor_id == learner.pk


def test_the_download_is_only_for_its_owner(client, demo_world):
    assert client.post("/account/data/export/").status_code == 302  # to sign in
    other = User.objects.get(email=OTHER_LEARNER)
    archive = _download(client, other)
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == OTHER_LEARNER
    assert demo_world.email.encode() not in b"".join(
        archive.read(n) for n in archive.namelist() if n.endswith(".json")
    )


def test_the_download_is_a_post(client, demo_world):
    client.force_login(demo_world)
    assert client.get("/account/data/export/").status_code == 405
    page = client.get("/account/data/")
    assert page.status_code == 200
    assert b"Download my data" in page.content
