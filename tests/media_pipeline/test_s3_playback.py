"""With S3: playlists still come through Attune, rewritten to presigned GETs of the bucket;
captions through Attune; the bucket's CORS rules let browsers upload parts."""

from io import StringIO
from urllib.request import urlopen

from django.core.management import call_command

from media_pipeline import delivery
from media_pipeline.ffmpeg import playlist_uris
from tests.factories import UserFactory

from .published import published_recording
from .s3 import BUCKET


def test_playlists_point_at_presigned_bucket_urls(s3, settings, owner, clips, client):
    settings.MEDIA_PIPELINE_PLAYBACK_AUTHORIZER = "media_pipeline.delivery.staff_only"
    recording = published_recording(owner, clips("s3-play.mp4", seconds=2, size="320x180"))
    viewer = UserFactory(is_superuser=True)
    client.force_login(viewer)
    sources = delivery.sources(recording=recording, user=viewer)
    assert sources["hls"].startswith("/play/f/")
    assert sources["captions"][0]["src"].startswith("/play/f/")
    assert "X-Amz-Signature=" in sources["mp4"] and "X-Amz-Expires=" in sources["mp4"]

    master = client.get(sources["hls"]).content.decode()
    variant_url = next(u for u in playlist_uris(master) if "audio" not in u)
    assert variant_url.startswith("/play/f/")
    entries = playlist_uris(client.get(variant_url).content.decode())
    assert entries and all("X-Amz-Signature=" in url for url in entries)
    with urlopen(entries[-1], timeout=30) as segment:  # noqa: S310 - moto on loopback
        assert segment.status == 200 and segment.read()
    caption = client.get(sources["captions"][0]["src"])
    assert b"WEBVTT" in b"".join(caption.streaming_content)


def test_bucket_cors_lets_the_admin_upload_parts(s3):
    out = StringIO()
    call_command("configure_upload_cors", origin=["https://admin.attune.example"], stdout=out)
    rule = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"][0]
    assert rule["AllowedOrigins"] == ["https://admin.attune.example"]
    assert "PUT" in rule["AllowedMethods"] and "ETag" in rule["ExposeHeaders"]
    assert "admin.attune.example" in out.getvalue()
