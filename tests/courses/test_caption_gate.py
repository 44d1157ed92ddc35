"""The publish gate: a training goes live only when every recording it shows has captions a
person checked (reviewed or uploaded), needs none (no audio), or a reviewer recorded an
audited exception for that training and recording. Every way of publishing is gated."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import rich_text, streamfield

from courses.admin.caption_links import captions_url
from courses.models import CaptionException, LessonPage, WebinarPage
from courses.selectors.publication import publication_errors
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from tests.courses.admin_forms import training_form
from tests.courses.captioned import spoken_recording, track
from tests.courses.factories import library_module, member, training
from tests.courses.learning import recording

REASON = "Captions being corrected by our vendor; live CART provided."
EXCEPTION_EVENTS = (AuditAction.CAPTION_EXCEPTION_GRANTED, AuditAction.CAPTION_EXCEPTION_REVOKED)


def exception_events():
    return AuditEvent.objects.filter(action__in=EXCEPTION_EVENTS).order_by("pk")


def denied(response) -> bool:
    """Refused: forbidden, or Wagtail's way, a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def webinar(org, rec, title="Attachment webinar", **kwargs):
    return training(org, title, kind="webinar", recording=[("recording", rec)], **kwargs)


def exceptions_url(page):
    return reverse("courses_captions:exceptions", args=(page.pk,))


def grant(client, page, rec, reason=REASON):
    return client.post(exceptions_url(page), {"recordings": [rec.pk], "reason": reason})


@pytest.mark.parametrize(
    ("captions", "says"),
    [
        ("automatic", "has only automatic captions: review them in the caption editor"),
        (None, "has no captions: upload a caption file, or record an exception"),
        ("processing", "is still being processed and captioned"),
    ],
)
def test_a_recording_without_checked_captions_keeps_its_webinar_unpublished(
    great_lakes, captions, says
):
    rec = spoken_recording(great_lakes, captions=captions)
    page = webinar(great_lakes, rec, publish=False)
    errors = publication_errors(page=page.get_latest_revision_as_object())
    assert errors == [next(e for e in errors if "Attachment in the first year" in e)]
    assert says in errors[0]
    with pytest.raises(ValidationError):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert not page.live


@pytest.mark.parametrize("state", ["reviewed", "uploaded"])
def test_a_person_checked_track_lets_it_publish(great_lakes, state):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    track(rec, state)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_a_recording_without_audio_needs_no_captions(great_lakes):
    silent = recording(great_lakes, title="Room tour, no sound")  # probed: video only
    assert webinar(great_lakes, silent).live


def test_a_course_is_gated_by_its_lessons_and_the_library_modules_they_embed(
    great_lakes, riverbend_module
):
    module, module_rec = riverbend_module
    course = training(great_lakes, "Serve and return course")
    lesson = course.add_child(
        instance=LessonPage(title="Week 1", body=[("module", module)], live=False)
    )
    with pytest.raises(ValidationError) as refused:
        lesson.save_revision().publish()
    assert "“Module clip” has only automatic captions" in refused.value.messages[0]
    # The course's exception covers its lesson; the lesson then publishes.
    CaptionException.objects.create(
        training=course, recording=module_rec, reason=REASON, granted_at=timezone.now()
    )
    lesson.get_latest_revision().publish()
    lesson.refresh_from_db()
    assert lesson.live
    # Republishing the course now checks its live lesson: still covered.
    course.save_revision().publish()
    CaptionException.objects.update(revoked_at=timezone.now())
    assert "“Module clip” has only automatic captions" in " ".join(publication_errors(page=course))


@pytest.fixture
def riverbend_module(framework, great_lakes):
    from tests.courses.factories import institute

    rec = spoken_recording(institute(), title="Module clip", captions="automatic")
    module = library_module(rec.owner, title="Clip module", shared_with_all=True)
    module.body = [("recording", rec)]
    module.save_revision().publish()
    return module, rec


# --- Every way of publishing -------------------------------------------------------------


def webinar_form(page, rec, *, action):
    return training_form(
        title=page.title,
        slug=page.slug,
        contact_hours="1.5",
        rows=[("TF", "1.5")],
        facilitators=page.facilitators(),
        provider=page.provider,
        delivery_format="recorded_webinar",
        description=rich_text(""),
        recorded_on="",
        recording=streamfield([("recording", rec.pk)]),
        post_test=streamfield([]),
        action=action,
    )


def test_the_editors_publish_button_is_refused_with_the_recording_named_and_links(
    client, great_lakes
):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    client.force_login(member(great_lakes, Role.ADMIN))
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.post(edit, webinar_form(page, rec, action="publish"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“Attachment in the first year” has only automatic captions" in unescape(html)
    # Beside the errors (plain text), the links to act.
    assert "Publishing needs captions a person has checked" in html
    assert re.search(rf'<a [^>]*href="{exceptions_url(page)}"[^>]*>\s*Record an exception', html)
    caption_editor = captions_url(rec, rec.captions.get())
    assert re.search(rf'<a [^>]*href="{caption_editor}"[^>]*>\s*Captions of', html)
    page.refresh_from_db()
    assert not page.live

    track(rec, "reviewed")
    form = webinar_form(page, rec, action="publish")
    for relation in ("area_hours", "facilitator_links"):  # the saved rows, as the editor posts
        form[f"{relation}-0-id"] = getattr(page, relation).get().pk
        form[f"{relation}-INITIAL_FORMS"] = 1
    assert client.post(edit, form).status_code == 302
    page.refresh_from_db()
    assert page.live


def test_the_editor_warns_before_anyone_tries_and_lists_exceptions_on_its_captions_tab(
    client, great_lakes
):
    rec = spoken_recording(great_lakes, captions=None)
    page = webinar(great_lakes, rec, publish=False)
    client.force_login(member(great_lakes, Role.REVIEWER))
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).text
    assert "Publishing needs captions a person has checked." in html
    assert "“Attachment in the first year” has no captions" in unescape(html)
    assert f'<a href="{exceptions_url(page)}">record an exception</a>' in html
    html = unescape(html)
    assert grant(client, page, rec).status_code == 302
    html = unescape(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).text)
    assert "Publishing needs captions a person has checked." not in html
    assert f"Exception recorded by {exception_events().get().actor_repr}" in html
    assert REASON in html


def test_workflow_approval_is_not_offered_and_refused_until_captions_are_checked(great_lakes):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    editor, reviewer = member(great_lakes, Role.EDITOR), member(great_lakes, Role.REVIEWER)
    page.get_workflow().start(page, editor)
    task = page.current_workflow_task.specific
    assert [name for name, _, _ in task.get_actions(page, reviewer)] == ["reject"]
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status="in_progress")
    with pytest.raises(ValidationError):
        state.specific.approve(user=reviewer)
    page.refresh_from_db()
    assert not page.live

    track(rec, "reviewed")
    assert "approve" in [name for name, _, _ in task.get_actions(page, reviewer)]


def test_scheduled_publishing_skips_a_training_no_longer_allowed_and_goes_on(great_lakes):
    rec = spoken_recording(great_lakes, captions="automatic")
    gated = webinar(great_lakes, rec, publish=False)
    fine = training(great_lakes, "Course without recordings", publish=False)
    past = timezone.now() - datetime.timedelta(minutes=5)
    for page in (gated, fine):
        revision = page.get_latest_revision()
        revision.approved_go_live_at = past
        revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    gated.refresh_from_db()
    fine.refresh_from_db()
    assert fine.live and not gated.live
    # Taken off the schedule: the next run does not try (and fail) again.
    assert not gated.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_bulk_publishing_refuses_and_names_the_recording_even_in_a_lesson_below(
    client, great_lakes
):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    course = training(great_lakes, "Course with a lesson", publish=False)
    lesson = course.add_child(
        instance=LessonPage(title="Week 1", body=[("recording", rec)], live=False)
    )
    lesson.save_revision()
    client.force_login(member(great_lakes, Role.ADMIN))
    for ids, include in (([page.pk], ""), ([course.pk], "on")):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        url += "?" + "&".join(f"id={i}" for i in ids)
        response = client.post(url, {"include_descendants": include})
        assert response.status_code == 302
        messages = " ".join(str(m) for m in response.wsgi_request._messages)
        assert "Nothing was published." in messages
        assert "“Attachment in the first year” has only automatic captions" in messages
    assert not Page.objects.filter(pk__in=[page.pk, course.pk, lesson.pk], live=True).exists()


# --- The audited exception ---------------------------------------------------------------


def test_an_exception_needs_a_reason_is_audited_and_lets_that_training_publish(client, great_lakes):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    reviewer = member(great_lakes, Role.REVIEWER)
    client.force_login(reviewer)
    assert client.get(exceptions_url(page)).status_code == 200

    for reason in ("", "   ", "because"):
        response = grant(client, page, rec, reason=reason)
        assert response.status_code == 400
        assert "Say why the training may be published" in unescape(response.text) or (
            "This field is required." in response.text
        )
    ticked_nothing = client.post(exceptions_url(page), {"reason": REASON})
    assert "Tick each recording the exception is for." in unescape(ticked_nothing.text)
    assert not CaptionException.objects.exists() and not exception_events().exists()

    assert grant(client, page, rec).status_code == 302
    exception = CaptionException.objects.get()
    assert (exception.training_id, exception.recording_id) == (page.pk, rec.pk)
    assert exception.granted_by == reviewer and exception.reason == REASON
    event = exception_events().get()
    assert event.action == AuditAction.CAPTION_EXCEPTION_GRANTED
    assert event.organization == great_lakes and event.actor == reviewer
    assert event.details["reason"] == REASON and event.details["recording_id"] == rec.pk
    assert event.details["captions"] == "automatic"

    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_a_double_submit_records_one_exception(client, great_lakes):
    rec = spoken_recording(great_lakes, captions=None)
    page = webinar(great_lakes, rec, publish=False)
    client.force_login(member(great_lakes, Role.ADMIN))
    assert grant(client, page, rec).status_code == 302
    second = grant(client, page, rec)  # the form, as first shown, posted again
    assert second.status_code == 302
    assert CaptionException.objects.count() == 1 and exception_events().count() == 1


def test_an_exception_for_one_training_never_covers_another(client, great_lakes):
    rec = spoken_recording(great_lakes, captions="automatic")
    first = webinar(great_lakes, rec, "First webinar", publish=False)
    second = webinar(great_lakes, rec, "Second webinar", publish=False)
    client.force_login(member(great_lakes, Role.REVIEWER))
    grant(client, first, rec)
    first.get_latest_revision().publish()
    with pytest.raises(ValidationError):
        second.get_latest_revision().publish()
    assert publication_errors(page=second) and not publication_errors(page=first)


def test_other_organizations_and_editors_are_refused_and_nothing_changes(
    client, great_lakes, prairie
):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    for person in (
        member(prairie, Role.REVIEWER),
        member(prairie, Role.ADMIN),
        member(great_lakes, Role.EDITOR),  # editors submit for review; reviewers decide
    ):
        client.force_login(person)
        assert denied(client.get(exceptions_url(page)))
        assert denied(grant(client, page, rec))
    assert not CaptionException.objects.exists() and not exception_events().exists()


def test_a_forged_recording_is_refused(client, great_lakes, prairie):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    theirs = spoken_recording(prairie, "Prairie's clip", captions="automatic")
    webinar(prairie, theirs, "Prairie webinar", publish=False)
    client.force_login(member(great_lakes, Role.ADMIN))
    for forged in (theirs.pk, "x", 10**12):
        response = client.post(exceptions_url(page), {"recordings": [forged], "reason": REASON})
        assert response.status_code == 400
    assert not CaptionException.objects.exists() and not exception_events().exists()


def test_revoking_keeps_the_row_is_audited_and_gates_again(client, great_lakes, prairie):
    rec = spoken_recording(great_lakes, captions="automatic")
    page = webinar(great_lakes, rec, publish=False)
    other = webinar(great_lakes, rec, "Other webinar", publish=False)
    admin = member(great_lakes, Role.ADMIN)
    client.force_login(admin)
    grant(client, page, rec)
    exception = CaptionException.objects.get()
    revoke = reverse("courses_captions:revoke", args=(page.pk,))
    # Another training's URL cannot revoke it; another association's admin cannot either.
    client.post(reverse("courses_captions:revoke", args=(other.pk,)), {"exception": exception.pk})
    client.force_login(member(prairie, Role.ADMIN))
    assert denied(client.post(revoke, {"exception": exception.pk}))
    exception.refresh_from_db()
    assert exception.is_standing

    client.force_login(admin)
    for _ in range(2):  # a double submit revokes once
        assert client.post(revoke, {"exception": exception.pk}).status_code == 302
    exception.refresh_from_db()
    assert exception.revoked_at and exception.revoked_by == admin
    assert [e.action for e in exception_events()] == [
        AuditAction.CAPTION_EXCEPTION_GRANTED,
        AuditAction.CAPTION_EXCEPTION_REVOKED,
    ]
    assert publication_errors(page=page)
    html = unescape(client.get(exceptions_url(page)).text)
    assert f"Revoked by {admin.email}" in html and REASON in html


def test_webinar_page_type_offers_the_captions_tab(great_lakes):
    tabs = [tab.heading for tab in WebinarPage.get_edit_handler().children]
    assert "Captions" in tabs
