"""Search by what is said: a training's index holds the words of its recordings' caption
tracks (checked or automatic), and follows them when captions change. Run on SQLite and on
PostgreSQL (Wagtail's database backend uses each one's full-text search)."""

from html import unescape

from courses.models import LessonPage
from courses.selectors.catalog import search_ids
from media_pipeline.services.captioning import delete_caption
from tests.courses.captioned import spoken_recording, track
from tests.courses.factories import training

# Words said only in the recordings, nowhere in the trainings' titles or texts.
SAID = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nToddlers borrow calm from a regulated grown-up.\n"
SAID_LATER = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nRuptures are repaired with curiosity.\n"


def catalog_titles(client, org, query) -> set[str]:
    html = client.get("/catalog/", {"q": query}, HTTP_HOST=org.site.hostname).content.decode()
    return {t for t in ("Calm bodies webinar", "Calm bodies course") if t in unescape(html)}


def test_a_phrase_only_spoken_in_a_webinar_finds_it(client, great_lakes):
    rec = spoken_recording(great_lakes, captions="automatic", text=SAID)
    page = training(great_lakes, "Calm bodies webinar", kind="webinar",
                    recording=[("recording", rec)], publish=False)  # fmt: skip
    track(rec, "reviewed", text=SAID)
    page.get_latest_revision().publish()
    other = training(great_lakes, "Unrelated course")
    assert search_ids(query="regulated grown-up") == [page.pk]
    assert other.pk not in search_ids(query="borrow calm")
    assert catalog_titles(client, great_lakes, "toddlers borrow calm") == {"Calm bodies webinar"}


def test_a_course_is_found_by_what_its_lessons_recordings_say(great_lakes):
    rec = spoken_recording(great_lakes, captions="uploaded", text=SAID)
    course = training(great_lakes, "Calm bodies course")
    lesson = course.add_child(
        instance=LessonPage(title="Week 1", body=[("recording", rec)], live=False)
    )
    assert course.pk not in search_ids(query="regulated grown-up")
    lesson.save_revision().publish()  # publishing the lesson re-indexes its course
    assert search_ids(query="regulated grown-up") == [course.pk]


def test_captions_changing_re_index_the_live_trainings_that_show_the_recording(
    great_lakes, django_capture_on_commit_callbacks
):
    rec = spoken_recording(great_lakes, captions="uploaded", text=SAID)
    page = training(great_lakes, "Calm bodies webinar", kind="webinar",
                    recording=[("recording", rec)])  # fmt: skip
    draft = training(great_lakes, "Draft webinar", kind="webinar",
                     recording=[("recording", rec)], publish=False)  # fmt: skip
    assert search_ids(query="regulated grown-up") == [page.pk]

    with django_capture_on_commit_callbacks(execute=True):
        caption = track(rec, "uploaded", text=SAID_LATER)
    assert search_ids(query="regulated grown-up") == []
    assert search_ids(query="repaired with curiosity") == [page.pk]  # not the draft
    assert draft.pk not in search_ids(query="repaired with curiosity")

    with django_capture_on_commit_callbacks(execute=True):
        delete_caption(caption=caption)
    assert search_ids(query="repaired with curiosity") == []


def test_a_page_or_recording_gone_is_no_error(great_lakes, django_capture_on_commit_callbacks):
    from courses.search import reindex_trainings_showing

    rec = spoken_recording(great_lakes, captions="uploaded", text=SAID)
    page = training(great_lakes, "Calm bodies webinar", kind="webinar",
                    recording=[("recording", rec)])  # fmt: skip
    assert reindex_trainings_showing(recording_id=rec.pk) == [page.pk]
    page.unpublish()
    assert reindex_trainings_showing(recording_id=rec.pk) == []
    assert reindex_trainings_showing(recording_id=10**9) == []
