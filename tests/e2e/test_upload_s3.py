"""With S3 configured, the admin's uploader sends parts straight to the bucket (moto's
server over HTTP, with the CORS rules configure_upload_cors sets) and Attune completes the
multipart upload."""

import pytest
from playwright.sync_api import expect

from lms.organizations.models import Role
from media_pipeline.models import Recording, UploadPart, UploadSession
from media_pipeline.uploads import configure_bucket_cors
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganizationFactory
from tests.media_pipeline.s3 import BUCKET, s3  # noqa: F401 - the S3 fixture

pytestmark = pytest.mark.e2e


def test_parts_go_straight_to_the_bucket(
    browser_page,
    live_server,
    transactional_db,
    settings,
    s3,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    settings.MEDIA_PIPELINE_S3_MIN_PART_BYTES = 5 * 1024 * 1024  # S3's smallest part
    configure_bucket_cors(origins=[live_server.url])
    talk = tmp_path / "talk.mp4"
    data = bytes(range(256)) * (11 * 1024 * 1024 // 256)
    talk.write_bytes(data)
    owner = OrganizationFactory(name="Great Lakes Association")
    editor = MembershipFactory(organization=owner, role=Role.EDITOR).user

    page = browser_page
    sign_in(page, editor.email)
    page.goto("/admin/recordings/add/")
    page.get_by_label("Recording file").set_input_files(str(talk))
    with page.expect_request(lambda request: "X-Amz-Signature=" in request.url) as to_bucket:
        page.get_by_role("button", name="Upload", exact=True).click()
    assert to_bucket.value.method == "PUT"
    page.wait_for_url("**/admin/recordings/inspect/*/", timeout=60_000)
    expect(page.get_by_role("heading", name="Status")).to_be_visible()

    session = UploadSession.objects.get()
    assert session.backend == "s3" and session.status == "completed"
    etags = list(UploadPart.objects.order_by("number").values_list("etag", flat=True))
    assert len(etags) == 3 and all(etags)
    recording = Recording.objects.get()
    head = s3.head_object(Bucket=BUCKET, Key=f"private-media/{recording.source.name}")
    assert head["ContentLength"] == len(data)
