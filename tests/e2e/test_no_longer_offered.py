"""A learner whose training was withdrawn (archived by its association) finds it in My
learning under "No longer offered", with their progress and record, on a 390 px phone: no
sideways scroll, no serious or critical axe violation, and the page works by keyboard."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import LessonPage
from courses.services.archive import archive_training
from courses.services.enrollment import enroll
from courses.services.evaluation import submit_evaluation
from courses.services.progress import mark_lesson_done, open_lesson
from lms.organizations.models import Role
from tests.conftest import sign_in
from tests.courses.factories import association, member, training
from tests.e2e.test_every_page import check
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def course(org, title):
    page = training(org, title, require_evaluation=False)
    lesson = page.add_child(instance=LessonPage(title=f"{title}: lesson", slug="lesson"))
    lesson.save_revision().publish()
    return page, lesson


def test_no_longer_offered_on_a_phone(browser_page, live_server, transactional_db):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    learner = UserFactory(first_name="Ana", last_name="Reyes")
    started, started_lesson = course(great_lakes, "Reading a baby's cues")
    finished, finished_lesson = course(great_lakes, "Attachment across the first year")
    offered, _lesson = course(great_lakes, "Serve and return")
    open_lesson(enrollment=enroll(learner=learner, training=started), lesson=started_lesson)
    done = enroll(learner=learner, training=finished)
    submit_evaluation(enrollment=done, survey=None, answers={}, attested=True)
    mark_lesson_done(enrollment=done, lesson=finished_lesson)
    enroll(learner=learner, training=offered)
    admin = member(great_lakes, Role.ADMIN)
    for page in (started, finished):
        archive_training(training=page, by=admin, reason="Replaced by a new edition")

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, learner.email)
    page.goto("/learning/")

    withdrawn = page.get_by_role("region", name="No longer offered")
    expect(withdrawn.locator(".learning-card")).to_have_count(2)
    expect(withdrawn).to_contain_text("Reading a baby's cues")
    expect(withdrawn).to_contain_text("Your progress is kept.")
    # The finished one keeps its record, one keystroke away.
    record = withdrawn.get_by_role(
        "link", name=re.compile(r"^Record\W+Attachment across the first year$")
    )
    expect(record).to_be_visible()
    progress = page.get_by_role("region", name="In progress")
    expect(progress).to_contain_text("Serve and return")
    expect(progress).not_to_contain_text("Reading a baby's cues")
    # Nothing to open for a withdrawn training: its title is not a dead link.
    expect(withdrawn.get_by_role("link", name="Reading a baby's cues")).to_have_count(0)

    record.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/records/**")
    page.go_back()

    failures = check(
        page, label="my-learning-no-longer-offered", errors=errors, screenshot_name="no-longer"
    )
    assert not failures, "\n".join(failures)
