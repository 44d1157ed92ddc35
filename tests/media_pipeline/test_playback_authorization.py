"""Who may watch (courses.recording_access.may_watch, the authorizer media_pipeline
asks): staff of the owner and of organizations whose pages or modules use the recording,
drafts included; free previews on published pages; enrolled learners."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from wagtail.models import PageViewRestriction

from courses.recording_access import may_watch, pages_using
from courses.services.enrollment import enroll
from lms.organizations.models import Role
from media_pipeline.models import Recording
from media_pipeline.services.captioning import add_caption
from tests.courses.factories import association, institute, library_module, member, training
from tests.factories import UserFactory

from .published import CAPTIONS, webinar_showing


@pytest.fixture
def prairie(framework):
    return association("prairie")


def stored_recording(owner, title="Serve and return"):
    recording = Recording(owner=owner, title=title)
    recording.source.save("talk.mp4", ContentFile(b"x"), save=False)
    recording.save()
    # Checked captions, so the pages showing it may be published.
    add_caption(recording=recording, language="en", label="English", data=CAPTIONS)
    return recording


def test_staff_of_the_owner_may_watch_nobody_else(private_storage, great_lakes, prairie):
    recording = stored_recording(great_lakes)
    for role in (Role.EDITOR, Role.REVIEWER, Role.ADMIN):
        assert may_watch(user=member(great_lakes, role), recording=recording)
    for viewer in (member(prairie, Role.EDITOR), member(great_lakes, Role.STAFF), UserFactory()):
        assert not may_watch(user=viewer, recording=recording)
    assert not may_watch(user=AnonymousUser(), recording=recording)


def test_staff_of_an_association_whose_page_uses_it_may_watch(
    private_storage, great_lakes, prairie
):
    """A faculty institute's recording on an association's draft webinar: that
    association's reviewers must see it to review the webinar."""
    riverbend = institute()
    recording = stored_recording(riverbend)
    reviewer = member(great_lakes, Role.REVIEWER)
    assert not may_watch(user=reviewer, recording=recording)
    webinar_showing(great_lakes, recording, publish=False)
    assert may_watch(user=reviewer, recording=recording)
    assert not may_watch(user=member(prairie, Role.REVIEWER), recording=recording)


def test_a_draft_change_to_a_live_page_counts_for_its_staff(private_storage, great_lakes):
    riverbend = institute()
    recording = stored_recording(riverbend)
    webinar = training(great_lakes, "Reading a baby's cues", kind="webinar")
    webinar.recording = [("recording", recording)]
    webinar.save_revision()  # a draft: the live page does not show it yet
    assert pages_using(recording) == []
    assert may_watch(user=member(great_lakes, Role.REVIEWER), recording=recording)


def test_a_library_module_passes_access_on_to_lessons(private_storage, great_lakes, prairie):
    riverbend = institute()
    recording = stored_recording(riverbend)
    module = library_module(riverbend, shared_with_all=True)
    module.body = [*module.body.raw_data, {"type": "recording", "value": recording.pk}]
    module.save_revision().publish()
    assert may_watch(user=member(riverbend, Role.EDITOR), recording=recording)

    from courses.models import LessonPage

    course = training(prairie, "Serve and return in practice")
    lesson = course.add_child(instance=LessonPage(title="Watch", body=[("module", module)]))
    lesson.save_revision().publish()
    learner = UserFactory()
    assert not may_watch(user=learner, recording=recording)
    enroll(learner=learner, training=course)
    assert may_watch(user=learner, recording=recording)
    assert may_watch(user=member(prairie, Role.EDITOR), recording=recording)


def test_free_preview_and_enrollment_on_a_live_public_page(private_storage, great_lakes):
    recording = stored_recording(great_lakes)
    webinar = webinar_showing(great_lakes, recording)
    learner = UserFactory()
    assert not may_watch(user=learner, recording=recording)
    enroll(learner=learner, training=webinar)
    assert may_watch(user=learner, recording=recording)

    recording.allow_preview = True
    assert may_watch(user=AnonymousUser(), recording=recording)
    PageViewRestriction.objects.create(page=webinar, restriction_type="login")
    assert not may_watch(user=AnonymousUser(), recording=recording)
    webinar.unpublish()
    assert not may_watch(user=UserFactory(), recording=recording)
