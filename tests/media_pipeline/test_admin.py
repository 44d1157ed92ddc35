"""The recordings admin: scoped list with filters, detail, retry, captions, delete, chooser."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from lms.organizations.models import Role
from media_pipeline.models import Caption, Recording, RecordingStatus
from media_pipeline.services.captioning import add_caption
from media_pipeline.storage import list_tree, pipeline_storage
from tests.factories import MembershipFactory, OrganizationFactory

NAME = "wagtailsnippets_media_pipeline_recording"


def url(action, *args):
    return reverse(f"{NAME}:{action}", args=args)


def recording(owner, title, *, status=RecordingStatus.UPLOADED, **fields):
    made = Recording(owner=owner, title=title, status=status, **fields)
    made.source.save("talk.mp4", ContentFile(b"not really a video"), save=False)
    made.save()
    return made


@pytest.fixture
def editor(owner):
    return MembershipFactory(organization=owner, role=Role.EDITOR).user


@pytest.fixture
def other_owner(db):
    return OrganizationFactory(name="Prairie Association")


def test_list_is_scoped_filtered_and_flags_missing_captions(
    client, private_storage, owner, other_owner, editor, django_assert_max_num_queries
):
    for n in range(12):
        made = recording(owner, f"Session {n}", duration=600 + n)
        if n % 2:
            add_caption(
                recording=made, language="en", label="English",
                data=b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n",
            )  # fmt: skip
    recording(other_owner, "Prairie only")
    client.force_login(editor)
    with django_assert_max_num_queries(30):
        page = client.get(url("list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Session 11" in html and "Prairie only" not in html
    assert "10:11" in html  # durations are shown as clock times
    missing = client.get(url("list"), {"captions": "missing"}).content.decode()
    assert "Session 2" in missing and "Session 3" not in missing
    failed = client.get(url("list"), {"status": "failed"}).content.decode()
    assert "Session 2" not in failed


def refused(response):
    """Wagtail answers a refused admin request with a redirect to the dashboard."""
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] in (
            "/admin/",
            "/accounts/login/?next=" + response.request["PATH_INFO"],
        )
    assert "Great Lakes only" not in response.content.decode()


def test_other_tenants_cannot_open_edit_or_delete(client, private_storage, owner, other_owner):
    theirs = recording(owner, "Great Lakes only")
    outsider = MembershipFactory(organization=other_owner, role=Role.EDITOR).user
    client.force_login(outsider)
    for action in ("inspect", "edit", "delete", "progress", "replace", "usage"):
        refused(client.get(url(action, theirs.pk)))
    refused(client.post(url("retry", theirs.pk)))
    refused(client.post(url("delete", theirs.pk)))
    assert Recording.objects.filter(pk=theirs.pk).exists()
    # Learners (no role) are kept out of the admin altogether.
    client.force_login(MembershipFactory(organization=owner, role=Role.STAFF).user)
    refused(client.get(url("inspect", theirs.pk)))


def test_the_uploader_opens_only_for_people_who_may_upload(client, owner, editor):
    reviewer = MembershipFactory(organization=owner, role=Role.REVIEWER).user
    reviewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reviewer)
    refused(client.get(url("add")))
    client.force_login(editor)
    assert client.get(url("add")).status_code == 200


def test_detail_shows_live_progress_and_retry_requeues_a_failure(
    client, private_storage, owner, editor, django_capture_on_commit_callbacks
):
    busy = recording(owner, "Processing", status=RecordingStatus.TRANSCODING, progress=42)
    client.force_login(editor)
    html = client.get(url("inspect", busy.pk)).content.decode()
    assert 'value="42"' in html and "data-progress-url" in html
    assert client.get(url("progress", busy.pk)).json()["progress"] == 42

    failed = recording(
        owner, "Broken", status=RecordingStatus.FAILED, error="ffmpeg could not process it"
    )
    html = client.get(url("inspect", failed.pk)).content.decode()
    assert "ffmpeg could not process it" in html and "Retry processing" in html
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url("retry", failed.pk))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == RecordingStatus.UPLOADED and not failed.error
    assert len(queued) == 1
    # A second retry (a double submit) changes nothing.
    client.post(url("retry", failed.pk))
    failed.refresh_from_db()
    assert failed.status == RecordingStatus.UPLOADED


def test_captions_are_added_and_a_broken_cue_is_named(client, private_storage, owner, editor):
    made = recording(owner, "Needs captions")
    client.force_login(editor)
    srt = ContentFile(b"1\n00:00:01,000 --> 00:00:02,000\nHello\n", name="talk.srt")
    response = client.post(
        url("add_caption", made.pk), {"language": "en", "label": "English", "file": srt},
        follow=True,
    )  # fmt: skip
    assert "Added English captions (1 cues)" in response.content.decode()
    caption = Caption.objects.get()
    with pipeline_storage().open(caption.file.name) as stored:
        assert stored.read().startswith(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000")

    broken = ContentFile(b"WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHello\n", name="es.vtt")
    response = client.post(
        url("add_caption", made.pk), {"language": "es", "label": "Español", "file": broken},
        follow=True,
    )  # fmt: skip
    assert "Line 3:" in response.content.decode()
    assert list(Caption.objects.values_list("language", flat=True)) == ["en"]


def test_delete_removes_every_stored_file(client, private_storage, owner, editor, clips):
    from .published import published_recording

    made = published_recording(owner, clips("delete.mp4", seconds=2, size="320x180"))
    assert len(list_tree(made.storage_prefix)) > 5
    client.force_login(editor)
    assert client.get(url("delete", made.pk)).status_code == 200
    assert client.post(url("delete", made.pk)).status_code == 302
    assert not Recording.objects.exists()
    assert list_tree(made.storage_prefix) == []


def test_chooser_offers_only_the_editors_recordings(
    client, private_storage, owner, other_owner, editor
):
    recording(owner, "Ours")
    recording(other_owner, "Theirs")
    client.force_login(editor)
    chooser = reverse("wagtailsnippetchoosers_media_pipeline_recording:choose")
    html = client.get(chooser).content.decode()
    assert "Ours" in html and "Theirs" not in html
