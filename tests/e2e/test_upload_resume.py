"""An upload interrupted half-way (the page reloaded) resumes without re-sending finished
parts: the server counts every part it receives."""

import time

import pytest
from playwright.sync_api import expect

from lms.organizations.models import Role
from media_pipeline.models import Recording, UploadPart, UploadSession
from media_pipeline.storage import pipeline_storage
from tests.conftest import screenshot, sign_in
from tests.factories import MembershipFactory, OrganizationFactory
from tests.media_pipeline.media import make_clip

pytestmark = pytest.mark.e2e


def drop_after(page, parts: int) -> None:
    """Let ``parts`` more part uploads through, then lose the connection for the rest."""
    left = {"parts": parts}

    def flaky_network(route):
        if left["parts"] > 0:
            left["parts"] -= 1
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route("**/uploads/*/parts/*/", flaky_network)


def parts_stored(page, count: int, seconds: float = 15) -> None:
    """Wait until the server has stored ``count`` parts (the ones let through may still be
    on their way when the browser already reports the next ones lost)."""
    deadline = time.monotonic() + seconds
    while UploadPart.objects.count() < count and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert UploadPart.objects.count() == count


def test_interrupted_upload_resumes_without_resending_parts(
    browser_page, live_server, transactional_db, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "media_pipeline": {
            "BACKEND": "media_pipeline.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    clip = make_clip(tmp_path / "family-visit.mp4", seconds=3, size="320x180")
    data = clip.read_bytes()
    # Small parts, so a few-second clip travels in many of them.
    part_size = max(4096, len(data) // 12)
    settings.MEDIA_PIPELINE_UPLOAD_PART_BYTES = part_size
    part_count = -(-len(data) // part_size)
    owner = OrganizationFactory(name="Great Lakes Association")
    editor = MembershipFactory(organization=owner, role=Role.EDITOR).user

    page = browser_page
    sign_in(page, editor.email)
    page.goto("/admin/recordings/add/")
    expect(page.get_by_role("heading", name="Upload a recording")).to_be_visible()

    page.get_by_label("Title").fill("A family visit")
    page.get_by_label("Recording file").set_input_files(str(clip))

    # The network drops after three parts reach the server; the editor pauses, then resumes
    # when it is back, and it drops again after three more.
    drop_after(page, 3)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_label("Upload progress")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Connection lost")).to_be_visible()
    parts_stored(page, 3)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("status").filter(has_text="Paused.")).to_be_visible()
    page.unroute("**/uploads/*/parts/*/")
    drop_after(page, 3)
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("status").filter(has_text="Connection lost")).to_be_visible()
    parts_stored(page, 6)
    screenshot(page, "upload-resume", "connection-lost")
    assert part_count > 6

    # The page is reloaded; choosing the same file again resumes the upload.
    page.unroute("**/uploads/*/parts/*/")
    page.reload()
    expect(page.get_by_text("Unfinished uploads")).to_be_visible()
    page.get_by_label("Recording file").set_input_files(str(clip))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/admin/recordings/inspect/*/", timeout=30_000)
    expect(page.get_by_role("heading", name="Status")).to_be_visible()
    screenshot(page, "upload-resume", "completed")

    session = UploadSession.objects.get()
    assert session.status == "completed" and session.part_count == part_count
    received = dict(UploadPart.objects.values_list("number", "times_received"))
    assert sorted(received) == list(range(1, part_count + 1))
    # Every part arrived exactly once: none sent before the pause or the reload went again.
    assert set(received.values()) == {1}
    recording = Recording.objects.get()
    with pipeline_storage().open(recording.source.name) as stored:
        assert stored.read() == data
