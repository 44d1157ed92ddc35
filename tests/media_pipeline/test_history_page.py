"""The recording's page in the admin, in a real browser: the processing history with each
attempt's cause reads on a phone (no sideways scroll of the page), passes axe, and its
table can be reached and scrolled from the keyboard."""

import pytest

from lms.organizations.models import Role
from media_pipeline.models import AttemptCause
from tests.conftest import sign_in
from tests.e2e.axe import serious_violations
from tests.factories import MembershipFactory, OrganizationFactory

from .recordings import failed_attempts, upload

pytestmark = pytest.mark.e2e


def test_the_processing_history_reads_on_a_phone_and_passes_axe(
    browser_page, live_server, transactional_db, private_storage, clips
):
    owner = OrganizationFactory(name="Great Lakes Association")
    editor = MembershipFactory(organization=owner, role=Role.EDITOR).user
    recording = upload(owner, clips("history-page.mp4", seconds=2))
    failed_attempts(
        recording,
        [
            (AttemptCause.INFRASTRUCTURE, "The work disk is full (ENOSPC)"),
            (AttemptCause.INFRASTRUCTURE, "The database could not be reached (the connection "
             "to server at 127.0.0.1, port 5432 failed: Connection refused)"),
        ],
        worker="transcode-worker-{number}@media-host-eu-west-1 pid 4242",
    )  # fmt: skip
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, editor.email)
    page.goto(f"/admin/recordings/inspect/{recording.pk}/")
    history = page.get_by_role("region", name="Attempts, newest first (scrolls sideways)")
    assert "The work disk is full (ENOSPC)" in history.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page, name="recording-history-390") == []
    history.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
