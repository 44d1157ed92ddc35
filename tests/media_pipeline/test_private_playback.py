"""Private playback: signed, short-lived URLs for every playlist entry, segment, MP4, poster
and caption; refused to anonymous and other-tenant viewers, when expired or swapped."""

import re
import time

import pytest
from django.urls import reverse

from courses.services.enrollment import enroll
from lms.organizations.models import Role
from media_pipeline import delivery
from media_pipeline.ffmpeg import playlist_uris
from tests.courses.factories import association, member
from tests.factories import UserFactory

from .published import published_recording, webinar_showing

SIGNED = re.compile(r"^/play/f/[^/]+/[^/]+$")


@pytest.fixture
def recording(private_storage, great_lakes, clips):
    return published_recording(great_lakes, clips("play.mp4", seconds=2, size="320x180"))


def fetch_all(client, sources) -> dict[str, object]:
    """Every file a player would fetch: playlists, init files, segments, MP4, poster, captions."""
    fetched = {}
    master = client.get(sources["hls"])
    assert master.status_code == 200, master.content
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    fetched["master"] = master
    for variant_url in playlist_uris(master.content.decode()):
        assert SIGNED.match(variant_url), variant_url
        variant = client.get(variant_url)
        assert variant.status_code == 200
        entries = playlist_uris(variant.content.decode())
        assert any(url.endswith("init_0.mp4") or "init" in url for url in entries)
        for url in entries:
            assert SIGNED.match(url), url
        fetched.setdefault("segment_urls", []).extend(u for u in entries if u.endswith(".m4s"))
        fetched.setdefault("init_urls", []).extend(u for u in entries if "init" in u)
    return fetched


def test_a_viewer_gets_signed_urls_for_every_file(client, recording, great_lakes):
    webinar = webinar_showing(great_lakes, recording)
    learner = UserFactory()
    enroll(learner=learner, training=webinar)
    client.force_login(learner)
    sources = client.get(reverse("media_pipeline:sources", args=[recording.key])).json()
    for key in ("hls", "mp4", "poster"):
        assert SIGNED.match(sources[key]), key
    assert [c["label"] for c in sources["captions"]] == ["English"]

    fetched = fetch_all(client, sources)
    segment = client.get(fetched["segment_urls"][0])
    assert segment.status_code == 200 and len(b"".join(segment.streaming_content)) > 0
    init = client.get(fetched["init_urls"][0])
    assert init.status_code == 200

    whole = client.get(sources["mp4"])
    size = int(whole["Content-Length"])
    ranged = client.get(sources["mp4"], HTTP_RANGE="bytes=100-199")
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 100-199/{size}"
    assert len(b"".join(ranged.streaming_content)) == 100
    assert client.get(sources["mp4"], HTTP_RANGE=f"bytes={size + 5}-").status_code == 416

    caption = client.get(sources["captions"][0]["src"])
    assert caption.status_code == 200 and caption["Content-Type"].startswith("text/vtt")
    assert b"Serve and return." in b"".join(caption.streaming_content)
    assert client.get(sources["poster"])["Content-Type"] == "image/jpeg"
    assert "no-store" in fetched["master"]["Cache-Control"]


def test_unauthenticated_and_other_tenant_viewers_are_refused(client, recording, great_lakes):
    """A recording on a draft webinar: its association's staff may watch, nobody else."""
    webinar_showing(great_lakes, recording, publish=False)
    reviewer = member(great_lakes, Role.REVIEWER)
    client.force_login(reviewer)
    sources_url = reverse("media_pipeline:sources", args=[recording.key])
    sources = client.get(sources_url).json()
    fetched = fetch_all(client, sources)
    urls = {
        "master playlist": sources["hls"],
        "segment": fetched["segment_urls"][0],
        "MP4": sources["mp4"],
        "caption": sources["captions"][0]["src"],
    }

    prairie = association("prairie")
    for viewer in (None, member(prairie, Role.EDITOR), member(prairie, Role.REVIEWER)):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(sources_url).status_code == 403
        for what, url in urls.items():
            assert client.get(url).status_code in (403, 404), (viewer, what)

    # Signed in but not enrolled in a training that shows it: nothing either.
    client.force_login(UserFactory())
    assert client.get(sources_url).status_code == 403


def test_expired_forged_and_swapped_urls_are_refused(client, recording, great_lakes):
    webinar = webinar_showing(great_lakes, recording)
    learner = UserFactory()
    enroll(learner=learner, training=webinar)
    client.force_login(learner)
    two_hours_ago = time.time() - 7200
    expired = delivery.sources(recording=recording, user=learner, now=two_hours_ago)
    refused = client.get(expired["mp4"])
    assert refused.status_code == 403
    assert client.get(expired["hls"]).status_code == 403

    fresh = delivery.sources(recording=recording, user=learner)
    token = fresh["mp4"].split("/")[3]
    # A token for one file cannot fetch another, nor be altered.
    assert client.get(f"/play/f/{token}/poster.jpg").status_code == 403
    assert client.get(f"/play/f/{token[:-2]}xx/progressive.mp4").status_code == 403
    # Nor can another viewer use it.
    client.force_login(UserFactory())
    assert client.get(fresh["mp4"]).status_code == 403


def test_a_free_preview_plays_for_anyone_on_the_published_page(client, recording, great_lakes):
    webinar_showing(great_lakes, recording)
    sources_url = reverse("media_pipeline:sources", args=[recording.key])
    assert client.get(sources_url).status_code == 403
    recording.allow_preview = True
    recording.save(update_fields=["allow_preview"])
    sources = client.get(sources_url).json()
    assert client.get(sources["mp4"]).status_code == 200
