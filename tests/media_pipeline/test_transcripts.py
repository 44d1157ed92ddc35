"""The learner's side of captions: the transcript download (authorised like playback), the
caption states the player is told, and captions on from the start for a learner who asked."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from courses.services.enrollment import enroll
from lms.accounts.models import User
from lms.accounts.services import update_profile
from media_pipeline import delivery
from media_pipeline.delivery import starting_languages
from media_pipeline.models import CaptionState
from media_pipeline.services.captioning import store_caption
from tests.courses.factories import site_path
from tests.factories import UserFactory

from .published import published_recording, webinar_showing

HOST = {"HTTP_HOST": "great-lakes.localhost"}
SPANISH = """WEBVTT

00:00:00.500 --> 00:00:01.500
Servir y <i>devolver</i>.

00:01:05.000 --> 00:01:07.000
El bebé &amp; su cuidadora.
"""


@pytest.fixture
def recording(private_storage, great_lakes, clips):
    recording = published_recording(great_lakes, clips("words.mp4", seconds=2, size="320x180"))
    store_caption(
        recording=recording,
        language="es",
        label="Español",
        webvtt_text=SPANISH,
        state=CaptionState.AUTOMATIC,
    )
    return recording


@pytest.fixture
def webinar(recording, great_lakes):
    return webinar_showing(great_lakes, recording)


@pytest.fixture
def learner(webinar):
    learner = UserFactory()
    enroll(learner=learner, training=webinar)
    return learner


def transcript_url(recording, language):
    return reverse("media_pipeline:transcript", args=[recording.key, language])


def test_an_enrolled_learner_downloads_each_language_with_timestamps(client, recording, learner):
    client.force_login(learner)
    english = client.get(transcript_url(recording, "en"))
    assert english.status_code == 200
    assert english["Content-Type"] == "text/plain; charset=utf-8"
    assert english["Cache-Control"].startswith("private")
    assert "serve-and-return-transcript-en.txt" in english["Content-Disposition"]
    text = english.content.decode()
    assert text.startswith("Serve and return — transcript (English)\n")
    assert "[0:00] Serve and return.\n" in text
    assert "not yet reviewed" not in text

    spanish = client.get(transcript_url(recording, "es")).content.decode()
    assert "Automatic captions — not yet reviewed" in spanish
    # Markup and entities are gone; the time is where the cue starts.
    assert "[0:00] Servir y devolver.\n[1:05] El bebé & su cuidadora.\n" in spanish


def test_others_are_refused_and_an_unknown_language_is_not_found(client, recording, learner):
    assert client.get(transcript_url(recording, "en")).status_code == 403  # anonymous
    client.force_login(UserFactory())  # signed in, not enrolled
    assert client.get(transcript_url(recording, "en")).status_code == 403
    client.force_login(learner)
    assert client.get(transcript_url(recording, "fr")).status_code == 404
    assert client.get(transcript_url(recording, "EN;drop")).status_code == 404


def test_a_free_preview_transcript_is_open_to_visitors(client, recording, webinar):
    recording.allow_preview = True
    recording.save(update_fields=["allow_preview"])
    response = client.get(transcript_url(recording, "en"))
    assert response.status_code == 200
    assert "[0:00] Serve and return." in response.content.decode()


def test_the_sources_tell_the_player_each_tracks_state_and_transcript(client, recording, learner):
    client.force_login(learner)
    sources = client.get(reverse("media_pipeline:sources", args=[recording.key])).json()
    captions = {c["language"]: c for c in sources["captions"]}
    assert captions["en"]["state"] == "uploaded" and captions["en"]["automatic"] is False
    assert captions["es"]["state"] == "automatic" and captions["es"]["automatic"] is True
    assert captions["es"]["label"] == "Español"
    assert captions["es"]["transcript"] == transcript_url(recording, "es")


def starting(html: str) -> tuple[str, list[str]]:
    """(the captions the player starts with, the languages of <track default>)."""
    showing = re.search(r'data-captions-showing="([^"]*)"', html).group(1)
    defaults = re.findall(r'<track kind="captions" srclang="([^"]+)"[^>]* default>', html)
    return showing, defaults


def test_the_player_starts_with_captions_as_the_learner_asked(client, webinar, learner):
    client.force_login(learner)
    path = site_path(webinar)
    html = client.get(path, **HOST).content.decode()
    assert starting(html) == ("", [])  # no preference: off
    assert 'data-transcript-language="en"' in html  # the interface's language
    assert 'srclang="es"' in html and "Español (automatic)" in html

    update_profile(user=learner, captions_on=True, caption_language="es")
    html = client.get(path, **HOST).content.decode()
    assert starting(html) == ("es", ["es"])
    assert 'data-preference="on:es"' in html

    # A language the recording lacks: the first it has.
    update_profile(user=learner, captions_on=True, caption_language="vi")
    assert starting(client.get(path, **HOST).content.decode()) == ("en", ["en"])

    # Captions on in the site's language when none is chosen.
    update_profile(user=learner, captions_on=True, caption_language="")
    assert starting(client.get(path, **HOST).content.decode()) == ("en", ["en"])


def test_with_no_caption_language_chosen_captions_follow_the_interface_language(db):
    learner = UserFactory()
    update_profile(user=learner, captions_on=True, caption_language="")
    with translation.override("es"):
        preferences = delivery.viewer_preferences(user=learner)
        assert starting_languages(["en", "es"], preferences) == ("es", "es")
    with translation.override("en"):
        preferences = delivery.viewer_preferences(user=learner)
        assert starting_languages(["en", "es"], preferences) == ("en", "en")
    # A caption language the learner chose comes before the interface's.
    update_profile(user=learner, captions_on=True, caption_language="en")
    with translation.override("es"):
        preferences = delivery.viewer_preferences(user=User.objects.get(pk=learner.pk))
        assert starting_languages(["en", "es"], preferences) == ("en", "en")


def test_a_visitor_watching_a_preview_gets_the_defaults(client, recording, webinar):
    recording.allow_preview = True
    recording.save(update_fields=["allow_preview"])
    html = client.get(site_path(webinar), **HOST).content.decode()
    assert starting(html) == ("", [])
    assert 'data-preference="off:en"' in html
