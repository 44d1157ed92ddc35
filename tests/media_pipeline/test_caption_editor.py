"""The caption editor: saves keep versions and who reviewed, a stale or repeated save stores
nothing new, bad cues are refused with the cue to fix, versions restore, new language tracks
start from another's timing, and other organizations' editors are kept out."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from lms.organizations.models import Role
from media_pipeline.captions import MAX_CUES
from media_pipeline.models import Caption, CaptionJob, CaptionJobStatus, CaptionState, Recording
from media_pipeline.selectors import editor_track
from media_pipeline.services.caption_editing import (
    EditRefused,
    StaleEdit,
    restore_version,
    save_edited_captions,
)
from media_pipeline.services.captioning import add_caption, store_caption
from tests.factories import MembershipFactory, OrganizationFactory

NAME = "wagtailsnippets_media_pipeline_recording"
AUTOMATIC = (
    "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nnotice what the baby\n\n"
    "00:00:02.000 --> 00:00:04.250\nis telling you\n"
)


def url(action, *args):
    return reverse(f"{NAME}:{action}", args=args)


def recording(owner, title="Serve and return"):
    made = Recording(owner=owner, title=title)
    made.source.save("talk.mp4", ContentFile(b"not really a video"), save=False)
    made.save()
    return made


@pytest.fixture
def editor(owner):
    return MembershipFactory(organization=owner, role=Role.EDITOR).user


@pytest.fixture
def track(private_storage, owner):
    return store_caption(
        recording=recording(owner),
        language="en",
        label="English",
        webvtt_text=AUTOMATIC,
        state=CaptionState.AUTOMATIC,
    )


def save(client, caption, payload):
    return client.post(
        url("save_captions", caption.recording_id, caption.pk),
        json.dumps(payload),
        content_type="application/json",
    )


FIXED = [
    {"start": 0.5, "end": 2.0, "text": "Notice what the baby"},
    {"start": 2.0, "end": 4.25, "text": "is telling you."},
]


def test_the_editor_opens_an_automatic_track_with_its_cues(client, track, editor):
    client.force_login(editor)
    page = client.get(url("caption_editor", track.recording_id, track.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Automatic (not reviewed)" in html and "Caption editor shortcuts" in html
    data = page.context["editor"]
    assert data["version"] == 1
    assert data["cues"] == [
        {"start": 0.5, "end": 2.0, "text": "notice what the baby"},
        {"start": 2.0, "end": 4.25, "text": "is telling you"},
    ]


def test_saving_marked_reviewed_adds_a_version_with_the_reviewer(client, track, editor):
    client.force_login(editor)
    response = save(client, track, {"version": 1, "cues": FIXED, "reviewed": True})
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    track.refresh_from_db()
    assert track.state == CaptionState.REVIEWED and track.reviewed_by == editor
    assert track.reviewed_at is not None and track.cue_count == 2
    assert track.text == "Notice what the baby\nis telling you."
    newest = track.versions.get(number=2)
    assert newest.created_by == editor and newest.state == CaptionState.REVIEWED
    assert editor_track(caption=track).cues == FIXED


def test_saving_unticked_keeps_the_automatic_state(client, track, editor):
    client.force_login(editor)
    assert save(client, track, {"version": 1, "cues": FIXED}).status_code == 201
    track.refresh_from_db()
    assert track.state == CaptionState.AUTOMATIC and track.reviewed_by is None


def test_a_save_based_on_an_older_version_is_refused(client, track, editor, owner):
    other = MembershipFactory(organization=owner, role=Role.EDITOR).user
    other.first_name, other.last_name = "Rosa", "Díaz"
    other.save()
    save_edited_captions(caption=track, based_on=1, cues=FIXED, reviewed=False, by=other)
    client.force_login(editor)
    late = [dict(FIXED[0], text="Mine"), FIXED[1]]
    response = save(client, track, {"version": 1, "cues": late, "reviewed": True})
    assert response.status_code == 409
    assert "Rosa Díaz saved a newer version (2)" in response.json()["error"]
    assert "Reload" in response.json()["error"]
    assert track.versions.count() == 2
    track.refresh_from_db()
    assert track.state == CaptionState.AUTOMATIC and "Mine" not in track.text
    with pytest.raises(StaleEdit):
        save_edited_captions(caption=track, based_on=0, cues=late, reviewed=False, by=editor)


def test_the_same_save_sent_twice_stores_one_version(client, track, editor):
    client.force_login(editor)
    payload = {"version": 1, "cues": FIXED, "reviewed": True}
    assert save(client, track, payload).status_code == 201
    again = save(client, track, payload)
    assert again.status_code == 200 and again.json()["added"] is False
    assert track.versions.count() == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not JSON"),
        (json.dumps({"cues": FIXED}), "which version"),
        (json.dumps({"version": 1, "cues": "words"}), "as a list"),
        (json.dumps({"version": 1, "cues": []}), "at least one cue"),
        (json.dumps({"version": 1, "cues": [{"start": 3, "end": 2, "text": "x"}]}),
         "Cue 1 ends before it starts"),
        (json.dumps({"version": 1, "cues": [FIXED[0], {"start": "a", "end": 2, "text": "x"}]}),
         "Cue 2: its start time is not a number"),
        (json.dumps({"version": 1, "cues": [{"start": 1, "end": 2, "text": "  \n "}]}),
         "Cue 1 has no words"),
        (json.dumps({"version": 1, "cues": [{"start": 1, "end": 1e9, "text": "x"}]}),
         "outside the recording"),
        (json.dumps({"version": 1, "cues": [{"start": 0, "end": 1, "text": "x"}] * (MAX_CUES + 1)}),
         "at most"),
    ],
)  # fmt: skip
def test_malformed_saves_are_refused_and_change_nothing(client, track, editor, body, words):
    client.force_login(editor)
    before = Caption.objects.values().get(pk=track.pk)
    response = client.post(
        url("save_captions", track.recording_id, track.pk), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert words in response.json()["error"]
    assert Caption.objects.values().get(pk=track.pk) == before
    assert track.versions.count() == 1


def test_cue_words_cannot_break_the_webvtt(track, editor):
    cues = [{"start": 0, "end": 1.5, "text": "Wait --> then\n\n\nrespond"}]
    caption, added = save_edited_captions(
        caption=track, based_on=1, cues=cues, reviewed=False, by=editor
    )
    assert added
    assert editor_track(caption=caption).cues == [
        {"start": 0.0, "end": 1.5, "text": "Wait → then\nrespond"}
    ]


def test_restore_makes_a_new_version_with_the_old_words(client, track, editor):
    save_edited_captions(caption=track, based_on=1, cues=FIXED, reviewed=False, by=editor)
    client.force_login(editor)
    response = client.post(url("restore_caption", track.recording_id, track.pk), {"version": 1})
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.versions.count() == 3
    assert track.state == CaptionState.AUTOMATIC and track.reviewed_by is None
    assert "notice what the baby" in track.text
    assert track.versions.get(number=3).note == "Restored version 1"
    with pytest.raises(EditRefused):
        restore_version(caption=track, number=99, by=editor)


def test_unreviewed_automatic_words_never_replace_a_reviewed_track(client, track, editor):
    save_edited_captions(caption=track, based_on=1, cues=FIXED, reviewed=True, by=editor)
    client.force_login(editor)
    response = client.post(
        url("restore_caption", track.recording_id, track.pk), {"version": 1}, follow=True
    )
    assert "automatic captions nobody reviewed" in response.content.decode()
    track.refresh_from_db()
    assert track.versions.count() == 2 and track.state == CaptionState.REVIEWED


def test_a_new_language_track_starts_from_another_tracks_timing(client, track, editor):
    client.force_login(editor)
    page = client.get(
        url("caption_editor", track.recording_id, track.pk), {"language": "es", "label": "Español"}
    )
    assert page.status_code == 200 and "New track: Español (es)" in page.content.decode()
    assert page.context["editor"]["cues"][0]["start"] == 0.5
    spanish = [
        {"start": 0.5, "end": 2.0, "text": "Observa lo que el bebé"},
        {"start": 2.0, "end": 4.25, "text": "te está diciendo."},
    ]
    payload = {"version": 1, "cues": spanish, "language": "es", "label": "Español"}
    response = save(client, track, payload)
    assert response.status_code == 201, response.content
    made = Caption.objects.get(recording=track.recording, language="es")
    assert made.label == "Español" and made.state == CaptionState.AUTOMATIC
    assert response.json()["url"].endswith(f"/edit/{made.pk}/")
    track.refresh_from_db()
    assert "notice what the baby" in track.text  # the source track is unchanged
    # A second start in the same language is refused.
    assert save(client, track, payload).status_code == 400
    assert Caption.objects.filter(language="es").count() == 1
    refused = client.get(
        url("caption_editor", track.recording_id, track.pk), {"language": "es", "label": "Otra"}
    )
    assert "already has a track in es" in refused.content.decode()


def test_download_gives_the_newest_webvtt(client, track, editor):
    client.force_login(editor)
    response = client.get(url("download_caption", track.recording_id, track.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vtt")
    assert b"notice what the baby" in response.content
    assert "attachment" in response["Content-Disposition"]


def test_another_organizations_editor_is_refused_and_nothing_changes(client, track):
    outsider = MembershipFactory(
        organization=OrganizationFactory(name="Prairie Association"), role=Role.EDITOR
    ).user
    client.force_login(outsider)
    pk, caption_id = track.recording_id, track.pk
    for action in ("caption_editor", "download_caption"):
        assert client.get(url(action, pk, caption_id)).status_code in (302, 403, 404)
    assert save(client, track, {"version": 1, "cues": FIXED, "reviewed": True}).status_code in (
        302,
        403,
        404,
    )
    posted = client.post(url("restore_caption", pk, caption_id), {"version": 1})
    assert posted.status_code in (302, 403, 404) and posted.get("Location", "/admin/") == "/admin/"
    track.refresh_from_db()
    assert track.versions.count() == 1 and track.state == CaptionState.AUTOMATIC


def test_detail_shows_states_reviewer_and_the_captioning_job(client, track, editor, owner):
    save_edited_captions(caption=track, based_on=1, cues=FIXED, reviewed=True, by=editor)
    uploaded = recording(owner, "Uploaded one")
    add_caption(
        recording=uploaded,
        language="es",
        label="Español",
        data=b"WEBVTT\n\n00:00.000 --> 00:01.000\nHola\n",
    )
    CaptionJob.objects.create(
        recording=track.recording,
        language="fr",
        status=CaptionJobStatus.EMPTY,
        note="No speech was found in the sound track.",
    )
    client.force_login(editor)
    html = client.get(url("inspect", track.recording_id)).content.decode()
    assert "Reviewed" in html and "Edit captions" in html and "Download .vtt" in html
    assert "No speech found" in html and "No speech was found in the sound track." in html
    assert url("caption_editor", track.recording_id, track.pk) in html


def test_the_list_shows_each_languages_state_and_filters_by_it(
    client, private_storage, owner, editor, django_assert_max_num_queries
):
    for n in range(25):
        made = recording(owner, f"Session {n:02d}")
        if n % 5 == 1:
            store_caption(
                recording=made, language="en", label="English", webvtt_text=AUTOMATIC,
                state=CaptionState.AUTOMATIC,
            )  # fmt: skip
        elif n % 5 == 2:
            caption = store_caption(
                recording=made, language="en", label="English", webvtt_text=AUTOMATIC,
                state=CaptionState.AUTOMATIC,
            )  # fmt: skip
            save_edited_captions(caption=caption, based_on=1, cues=FIXED, reviewed=True, by=editor)
        elif n % 5 == 3:
            add_caption(recording=made, language="es", label="Español", data=AUTOMATIC.encode())
            CaptionJob.objects.create(
                recording=made, language="en", status=CaptionJobStatus.RUNNING, progress=40
            )
        elif n % 5 == 4:
            CaptionJob.objects.create(recording=made, language="en", status=CaptionJobStatus.EMPTY)
    client.force_login(editor)
    client.get(url("list"))  # the first request warms Wagtail's own caches
    with django_assert_max_num_queries(30):
        page = client.get(url("list"))
    html = page.content.decode()
    assert "English — Automatic (not reviewed)" in html
    assert "English — Reviewed" in html
    assert "Español — Uploaded" in html and "Being captioned 40%" in html
    assert "No speech found" in html

    def listed(value):
        return client.get(url("list"), {"captions": value}).content.decode()

    missing, automatic, checked = listed("missing"), listed("automatic"), listed("checked")
    assert "Session 00" in missing and "Session 04" in missing and "Session 01" not in missing
    assert "Session 01" in automatic and "Session 02" not in automatic
    assert "Session 00" not in automatic
    assert "Session 02" in checked and "Session 03" in checked and "Session 01" not in checked


def test_automatic_captions_are_refused_with_the_reason_until_the_recording_is_ready(
    client, private_storage, owner, editor, settings
):
    made = recording(owner)
    client.force_login(editor)

    def ask(language="en"):
        response = client.post(
            url("request_captions", made.pk), {"language": language}, follow=True
        )
        return response.content.decode()

    settings.MEDIA_PIPELINE_CAPTION_ENGINE = ""
    assert "Automatic captions are turned off on this server." in ask()
    settings.MEDIA_PIPELINE_CAPTION_ENGINE = "pocketsphinx"
    assert "once the recording has finished processing" in ask()
    assert "Use a language tag" in ask("EN!")
    assert not CaptionJob.objects.exists()
