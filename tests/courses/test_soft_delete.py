"""Deleting pages never takes learners' work: a training with learners is archived (and can
be restored), the pages above it refuse deletion, and people and lessons are protected too.

Everything goes through Wagtail's own admin views, signed in as the association's staff."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.models import Page

from courses.models import (
    Enrollment,
    EnrollmentStatus,
    LessonPage,
    LessonProgress,
    TrainingArchive,
    TrainingPage,
)
from courses.services.enrollment import enroll
from courses.services.evaluation import submit_evaluation
from courses.services.progress import mark_lesson_done, open_lesson
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from lms.records.models import TrainingRecord
from tests.courses.factories import member, training
from tests.factories import UserFactory


def course_with_lessons(org, title="Attachment across the first year", *, lessons=2):
    course = training(org, title, require_evaluation=False)
    made = []
    for i in range(1, lessons + 1):
        lesson = course.add_child(instance=LessonPage(title=f"Lesson {i}", slug=f"lesson-{i}"))
        lesson.save_revision().publish()
        made.append(lesson)
    return course, made


def learners_at_work(course, lessons, *, in_progress, completed):
    """``in_progress`` learners who opened the first lesson, ``completed`` who finished."""
    for _ in range(in_progress):
        enrollment = enroll(learner=UserFactory(), training=course)
        open_lesson(enrollment=enrollment, lesson=lessons[0])
    for _ in range(completed):
        enrollment = enroll(learner=UserFactory(), training=course)
        submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)
        for lesson in lessons:
            mark_lesson_done(enrollment=enrollment, lesson=lesson)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def denied(response):
    # Wagtail answers a forbidden admin page with a redirect to the dashboard.
    return response.status_code in (302, 403, 404)


@pytest.fixture
def busy_course(great_lakes):
    course, lessons = course_with_lessons(great_lakes)
    learners_at_work(course, lessons, in_progress=40, completed=2)
    return course, lessons


def test_deleting_a_training_with_42_learners_archives_it_and_restore_brings_them_back(
    client, great_lakes, busy_course
):
    course, lessons = busy_course
    assert Enrollment.objects.filter(training=course).count() == 42
    progress_before = LessonProgress.objects.filter(enrollment__training=course).count()
    assert progress_before == 40 + 2 * 2
    assert TrainingRecord.objects.count() == 2
    admin = member(great_lakes, Role.ADMIN)
    client.force_login(admin)
    delete_url = reverse("wagtailadmin_pages:delete", args=(course.pk,))

    # Wagtail's delete screen asks first, naming the learners and what will happen.
    html = unescape(client.get(delete_url).content.decode())
    assert "This training has 42 learners (40 in progress, 2 completed)." in html
    assert "It will not be deleted: it will be archived." in html
    assert "Its 2 issued records stay valid." in html
    assert not TrainingArchive.objects.exists()  # asking changes nothing

    response = client.post(delete_url, {"reason": "Replaced by the 2027 edition"})
    assert response.status_code == 302
    assert "is archived" in messages_of(response)
    course.refresh_from_db()
    assert TrainingPage.objects.filter(pk=course.pk).exists() and not course.live
    assert not Page.objects.filter(pk__in=[lesson.pk for lesson in lessons], live=True).exists()
    enrollments = Enrollment.objects.filter(training=course)
    assert enrollments.count() == 42
    assert enrollments.filter(archived_at__isnull=False, archived_by=admin).count() == 42
    assert enrollments.filter(status=EnrollmentStatus.ACTIVE).count() == 40
    assert set(enrollments.values_list("archived_reason", flat=True)) == {
        "Replaced by the 2027 edition"
    }
    assert LessonProgress.objects.filter(enrollment__training=course).count() == progress_before
    assert TrainingRecord.objects.count() == 2
    event = AuditEvent.objects.get(action=AuditAction.TRAINING_ARCHIVED)
    assert event.actor == admin and event.organization == great_lakes
    assert event.details["enrollments"] == 42 and event.details["in_progress"] == 40

    # An archived training cannot be published again by any route but restoring.
    with pytest.raises(ValidationError, match="archived"):
        course.get_latest_revision().publish()

    # The archive lists it; restoring brings back the enrollments and the live pages.
    listing = unescape(client.get(reverse("courses_archive:index")).content.decode())
    assert course.title in listing
    restore_url = reverse("courses_archive:restore", args=(course.pk,))
    assert "42 learners" in unescape(client.get(restore_url).content.decode())
    response = client.post(restore_url)
    assert response.status_code == 302
    assert "is restored" in messages_of(response)
    course.refresh_from_db()
    assert course.live
    assert Page.objects.filter(pk__in=[lesson.pk for lesson in lessons], live=True).count() == 2
    assert not Enrollment.objects.filter(training=course, archived_at__isnull=False).exists()
    assert Enrollment.objects.filter(training=course).count() == 42
    assert LessonProgress.objects.filter(enrollment__training=course).count() == progress_before
    assert not TrainingArchive.objects.exists()
    restored = AuditEvent.objects.get(action=AuditAction.TRAINING_RESTORED)
    assert restored.details["enrollments"] == 42 and restored.details["republished"]
    # Restoring twice is refused rather than repeated.
    assert client.post(restore_url).status_code == 404


def test_the_learner_sees_an_archived_training_as_no_longer_offered(client, great_lakes):
    course, lessons = course_with_lessons(great_lakes, "Reading a baby's cues")
    learners_at_work(course, lessons, in_progress=1, completed=0)
    other = training(great_lakes, "Serve and return", require_evaluation=False)
    learner = Enrollment.objects.get(training=course).learner
    enroll(learner=learner, training=other)
    client.force_login(member(great_lakes, Role.ADMIN))
    client.post(reverse("wagtailadmin_pages:delete", args=(course.pk,)), follow=True)

    client.force_login(learner)
    html = unescape(client.get(reverse("learning:mine")).content.decode())
    in_progress, archived = html.split('id="archived-heading"')
    assert "Serve and return" in in_progress and "Reading a baby's cues" not in in_progress
    assert "No longer offered" in archived and "Reading a baby's cues" in archived
    assert "Your progress is kept." in archived
    assert "steps done" in archived  # their progress, as it was


def test_unpublishing_a_training_names_its_learners(client, great_lakes, busy_course):
    course, _lessons = busy_course
    client.force_login(member(great_lakes, Role.ADMIN))
    html = unescape(
        client.get(reverse("wagtailadmin_pages:unpublish", args=(course.pk,))).content.decode()
    )
    assert "This training has 42 learners (40 in progress, 2 completed)." in html
    assert "Are you sure you want to unpublish this page?" in html


def test_a_site_subtree_with_learners_refuses_deletion_whatever_its_contracts(
    client, great_lakes, busy_course
):
    course, _lessons = busy_course
    training(great_lakes, "Nobody enrolled yet")
    home = great_lakes.site.root_page
    client.force_login(member(great_lakes, Role.ADMIN))
    for page in (great_lakes.catalog, home):
        url = reverse("wagtailadmin_pages:delete", args=(page.pk,))
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302
            assert (
                "cannot be deleted: it holds 1 training with 42 learners and 2 issued records"
                in messages_of(response)
            )
    assert Page.objects.filter(pk__in=(home.pk, great_lakes.catalog.pk, course.pk)).count() == 3
    assert Enrollment.objects.filter(training=course, archived_at__isnull=True).count() == 42

    # An archived training still holds its learners: the catalog stays undeletable.
    client.post(reverse("wagtailadmin_pages:delete", args=(course.pk,)))
    response = client.post(reverse("wagtailadmin_pages:delete", args=(great_lakes.catalog.pk,)))
    assert "42 learners" in messages_of(response)
    assert Page.objects.filter(pk=great_lakes.catalog.pk).exists()

    # Bulk delete cannot archive: it refuses and deletes nothing.
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={course.pk}&id={great_lakes.catalog.pk}"
    )
    response = client.post(url)
    assert "Nothing was deleted." in messages_of(response)
    assert Page.objects.filter(pk__in=(course.pk, great_lakes.catalog.pk)).count() == 2

    # Underneath the admin, the database refuses too.
    with pytest.raises(ProtectedError):
        Page.objects.get(pk=course.pk).delete()


def test_a_training_without_enrollments_still_deletes(client, great_lakes):
    course, lessons = course_with_lessons(great_lakes, "Never taken")
    client.force_login(member(great_lakes, Role.ADMIN))
    url = reverse("wagtailadmin_pages:delete", args=(course.pk,))
    html = unescape(client.get(url).content.decode())
    assert "Are you sure you want to delete this page?" in html
    assert client.post(url).status_code == 302
    assert not Page.objects.filter(pk__in=[course.pk, *[lesson.pk for lesson in lessons]]).exists()
    assert not TrainingArchive.objects.exists()


def test_another_associations_staff_cannot_archive_or_restore(
    client, great_lakes, prairie, busy_course
):
    course, _lessons = busy_course
    delete_url = reverse("wagtailadmin_pages:delete", args=(course.pk,))
    restore_url = reverse("courses_archive:restore", args=(course.pk,))
    for role in (Role.EDITOR, Role.ADMIN):
        client.force_login(member(prairie, role))
        assert denied(client.get(delete_url)) and denied(client.post(delete_url))
    assert not TrainingArchive.objects.exists()
    assert not Enrollment.objects.filter(archived_at__isnull=False).exists()

    client.force_login(member(great_lakes, Role.ADMIN))
    client.post(delete_url, follow=True)
    assert TrainingArchive.objects.filter(training=course).exists()
    for user in (member(prairie, Role.ADMIN), member(great_lakes, Role.EDITOR)):
        client.force_login(user)
        assert denied(client.get(restore_url)) and denied(client.post(restore_url))
        listing = client.get(reverse("courses_archive:index")).content.decode()
        assert course.title not in unescape(listing)
    assert TrainingArchive.objects.filter(training=course).exists()
    assert Enrollment.objects.filter(archived_at__isnull=False).count() == 42


def test_learners_and_their_lesson_progress_outlive_deletions(great_lakes):
    course, lessons = course_with_lessons(great_lakes, "Cues")
    learners_at_work(course, lessons, in_progress=1, completed=0)
    enrollment = Enrollment.objects.get()
    # Deleting a person goes through erasure, never a cascade through their work.
    with pytest.raises(ProtectedError):
        enrollment.learner.delete()
    # A lesson taken out of its course leaves the learner's progress in place.
    Page.objects.get(pk=lessons[0].pk).delete()
    progress = LessonProgress.objects.get(enrollment=enrollment)
    assert progress.lesson_id is None


def test_a_post_test_with_attempts_and_a_recording_with_watch_evidence_are_not_deleted(
    client, great_lakes
):
    from courses.models import Quiz, QuizAttempt, WatchProgress
    from courses.services.quizzes import start_attempt
    from media_pipeline.models import Recording
    from tests.courses.learning import quiz, recording

    learner = UserFactory()
    the_quiz = quiz(great_lakes)
    attempt = start_attempt(quiz=the_quiz, learner=learner)
    watched = recording(great_lakes)
    WatchProgress.objects.create(
        learner=learner, recording=watched, duration=600, position=300, watched_seconds=300,
        ranges=[[0, 300]],
    )  # fmt: skip
    client.force_login(member(great_lakes, Role.ADMIN))

    quiz_delete = reverse("wagtailsnippets_courses_quiz:delete", args=(the_quiz.pk,))
    response = client.post(quiz_delete, follow=True)
    assert response.status_code == 200
    said = unescape(messages_of(response))
    assert "Nothing was deleted." in said and "quiz attempts" in said
    assert Quiz.objects.filter(pk=the_quiz.pk).exists()
    assert QuizAttempt.objects.filter(pk=attempt.pk).exists()

    recording_delete = reverse(
        "wagtailsnippets_media_pipeline_recording:delete", args=(watched.pk,)
    )
    response = client.post(recording_delete, follow=True)
    assert response.status_code == 200
    assert "Nothing was deleted." in unescape(messages_of(response))
    assert Recording.objects.filter(pk=watched.pk).exists()
    assert WatchProgress.objects.filter(recording=watched).count() == 1

    # Without learners' work hanging on them, both delete as before.
    unused_quiz, unused_recording = quiz(great_lakes, slug="unused"), recording(great_lakes)
    client.post(reverse("wagtailsnippets_courses_quiz:delete", args=(unused_quiz.pk,)))
    client.post(
        reverse("wagtailsnippets_media_pipeline_recording:delete", args=(unused_recording.pk,))
    )
    assert not Quiz.objects.filter(pk=unused_quiz.pk).exists()
    assert not Recording.objects.filter(pk=unused_recording.pk).exists()
