"""Keeping the search index in step with what is said in recordings (see ``signals``)."""

from wagtail.search.index import insert_or_update_object

from media_pipeline.models import Recording

from .models import TrainingPage
from .recording_access import RecordingUses, training_for
from .selectors.catalog import CATALOG


def reindex_trainings_showing(*, recording_id: int) -> list[int]:
    """Re-index the live trainings whose live pages show the recording (directly, through a
    lesson or a library module); returns their ids. A recording or page gone since changes
    nothing."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return []
    ids = {
        training.pk
        for page in RecordingUses(recording).pages
        if page.live and (training := training_for(page)) is not None
    }
    trainings = list(TrainingPage.objects.live().filter(pk__in=ids).specific())
    for training in trainings:
        insert_or_update_object(training)
    if trainings:
        CATALOG.advance()
    return [t.pk for t in trainings]


def reindex_course_of(*, lesson) -> None:
    """A lesson published or unpublished changes what its course's recordings say."""
    course = training_for(lesson)
    if course is not None and course.live:
        insert_or_update_object(course)
