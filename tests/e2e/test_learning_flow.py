"""The learner's flow in Chromium: the player first on an enrolled webinar, its checklist
reaching 100% from the heartbeat with no reload and the next step offered when the video
ends; Complete and continue through a course's lessons; My learning as cards. Each screen
fits a 390 px phone and passes axe (no serious or critical violation)."""

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.conftest import sign_in
from tests.courses.factories import site_path, training
from tests.e2e.test_every_page import check
from tests.media_pipeline.conftest import private_storage  # noqa: F401 - a fixture
from tests.media_pipeline.published import enrolled_viewing

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('[data-attune-player] video')"


def fits_and_passes_axe(page, label, errors):
    failures = check(page, label=label, errors=errors, screenshot_name=f"learning-{label}")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("private_storage")
def test_player_first_live_checklist_next_step_and_complete_and_continue(
    browser_page, live_server, transactional_db, tmp_path
):
    viewing = enrolled_viewing(live_server, tmp_path, seconds=8)
    webinar, learner, org = viewing.webinar, viewing.learner, viewing.association
    course = training(org, "Cues, step by step")
    for title in ("Lesson one", "Lesson two"):
        lesson = course.add_child(
            instance=LessonPage(title=title, body=[("text", f"<p>About {title.lower()}.</p>")])
        )
        lesson.save_revision().publish()

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, learner.email)

    # The webinar: the player comes before the outline, the next step waits for the video.
    page.goto(site_path(webinar))
    page.evaluate("window.attuneSamePage = true")
    order = page.evaluate(
        "(() => { const p = document.querySelector('[data-attune-player]');"
        " const o = document.querySelector('.outline');"
        " return !!(p.compareDocumentPosition(o) & Node.DOCUMENT_POSITION_FOLLOWING); })()"
    )
    assert order, "the player comes first, the outline after it"
    watch = page.locator("[data-rule='watch']")
    expect(watch).to_have_class("unmet")
    next_step = page.get_by_role("link", name="Evaluate the training")
    expect(next_step).to_be_hidden()
    fits_and_passes_axe(page, "webinar-enrolled", errors)

    player = page.locator("[data-attune-player]")
    player.get_by_label("Speed").select_option("2")
    player.get_by_role("button", name="Play").click()
    page.wait_for_function(f"{VIDEO}.ended", timeout=30_000)
    # The end of the video offers the next step at once.
    expect(next_step).to_be_visible()
    # The checklist follows the heartbeat: met, and saying what the player says.
    expect(watch).to_have_class("met", timeout=15_000)
    expect(page.locator("[data-watch-coverage]")).to_have_text("100", timeout=15_000)
    expect(watch.locator("[data-rule-detail]")).to_have_text("100% watched")
    expect(page.locator("[data-outline='recording'] [data-outline-state]")).to_have_text("Done")
    expect(page.locator("[data-checklist-progress]")).to_have_attribute("value", "1")
    assert page.evaluate("window.attuneSamePage === true"), "no reload"
    next_step.click()
    expect(page.get_by_label("I completed this training myself.")).to_be_visible()

    # A course: the current lesson first; Complete and continue moves on.
    page.goto(site_path(course))
    page.get_by_role("button", name="Enroll").click()
    current = page.get_by_role("region", name="Lesson one")
    expect(current).to_contain_text("Your current lesson")
    fits_and_passes_axe(page, "course-enrolled", errors)
    current.get_by_role("link", name="Open the lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson one")
    fits_and_passes_axe(page, "lesson", errors)
    page.get_by_role("button", name="Complete and continue").click()
    expect(page.get_by_text("“Lesson one” is done.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson two")
    expect(page.get_by_role("link", name="Previous lesson")).to_be_visible()
    page.get_by_role("button", name="Mark this lesson done").click()
    expect(page.get_by_text("“Lesson two” is done.")).to_be_visible()
    # The last lesson is no dead end: it leads back to the course's next step.
    page.get_by_role("link", name="Back to the course: your next step").click()
    lessons = page.get_by_role("region", name="Lessons")
    expect(lessons.locator(".status-done")).to_have_count(2)
    expect(page.get_by_role("link", name="Evaluate the training")).to_be_visible()

    # My learning: a card per training, each with its progress and next action.
    page.goto("/learning/")
    cards = page.locator(".learning-card")
    expect(cards).to_have_count(2)
    expect(
        cards.filter(has_text="Cues, step by step").get_by_role("progressbar")
    ).to_have_attribute("value", "50")
    expect(
        cards.filter(has_text="Cues, step by step").locator("[data-next-action]")
    ).to_contain_text("Evaluate")
    fits_and_passes_axe(page, "my-learning", errors)
