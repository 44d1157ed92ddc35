"""The post-test's feedback policy in Chromium. With the default policy a learner who fails
sees which questions were wrong and never the correct answers while attempts remain; on a
phone the questions come one at a time (Previous, Next, by keyboard) and the answers are
still submitted together; a passed post-test leads to the evaluation. Every screen: axe
finds nothing serious, nothing scrolls sideways at 390 px."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from courses.services.enrollment import enroll
from tests.conftest import ensure_default_site, screenshot, sign_in
from tests.courses.factories import association
from tests.courses.learning import quiz, webinar
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e
JOURNEY = "post-test-policy"
# Prompt (its start) -> (a wrong answer, the right answers).
QUESTIONS = {
    "Serve and return": ("A tennis drill", ["Back-and-forth exchanges"]),
    "Which are signs": ("Turning away", ["Looking at the caregiver", "Smiling"]),
    "Reflective supervision": ("True", ["False"]),
    "A baby's cry": ("Manipulation", ["Communication"]),
    "Co-regulation": ("False", ["True"]),
}
ONLY_IN_CORRECT_ANSWERS = ("Back-and-forth exchanges", "Looking at the caregiver", "Communication")


def question(page, prompt):
    return page.locator("fieldset.question", has_text=prompt)


def no_sideways_scroll(page, name):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{name} scrolls sideways: {width} px > {viewport} px"


def check_screen(page, name, found):
    screenshot(page, JOURNEY, name)
    found += serious_violations(page, name=name)
    no_sideways_scroll(page, name)


def test_default_policy_hides_answers_while_attempts_remain_and_a_pass_leads_on(
    browser_page, chromium, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    the_quiz = quiz(great_lakes, max_attempts=3)
    page_of_training = webinar(great_lakes, quiz_slug=the_quiz.slug)
    learner = UserFactory()
    enroll(learner=learner, training=page_of_training)
    quiz_url = reverse("learning:quiz", args=[page_of_training.pk, the_quiz.slug])
    found: list[str] = []

    # A phone: one question at a time.
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, learner.email)
    page.goto(quiz_url)
    page.get_by_role("button", name="Start the post-test").click()
    status = page.locator(".quiz-step-status")
    expect(status).to_have_text("Question 1 of 5")
    expect(page.locator("fieldset.question:visible")).to_have_count(1)
    expect(page.get_by_role("button", name="Submit answers")).to_be_hidden()
    expect(page.get_by_role("button", name="Previous question")).to_be_hidden()
    check_screen(page, "phone-question-1", found)

    # Next asks for an answer first, as the browser would on submitting.
    next_question = page.get_by_role("button", name="Next question")
    next_question.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Question 1 of 5")

    # Answer every question wrong, moving on by keyboard; Previous goes back.
    for number in range(1, 6):
        visible = page.locator("fieldset.question:visible")
        prompt = next(p for p in QUESTIONS if p in visible.inner_text())
        if prompt == "Which are signs" and number < 5:
            # Several right answers (boxes, not radio buttons): Next still asks for one.
            next_question.focus()
            page.keyboard.press("Enter")
            expect(status).to_have_text(f"Question {number} of 5")
        visible.get_by_label(QUESTIONS[prompt][0], exact=True).check()
        if number == 2:
            page.get_by_role("button", name="Previous question").focus()
            page.keyboard.press("Enter")
            expect(status).to_have_text("Question 1 of 5")
            expect(page.locator("fieldset.question:visible")).to_be_focused()
            next_question.focus()
            page.keyboard.press("Enter")
            expect(status).to_have_text("Question 2 of 5")
        if number < 5:
            next_question.focus()
            page.keyboard.press("Enter")
            expect(status).to_have_text(f"Question {number + 1} of 5")
    expect(next_question).to_be_hidden()
    submit = page.get_by_role("button", name="Submit answers")
    submit.focus()
    page.keyboard.press("Enter")

    # Which questions were wrong, the learner's own answers, never the correct ones.
    expect(page.get_by_role("heading", name="Not passed yet: 0%")).to_be_visible()
    expect(page.locator(".feedback.incorrect")).to_have_count(5)
    expect(page.get_by_text("A tennis drill")).to_be_visible()
    html = page.content()
    assert "(correct answer)" not in html
    assert not any(text in html for text in ONLY_IN_CORRECT_ANSWERS)
    expect(page.get_by_text("Attempts left: 2.")).to_be_visible()
    check_screen(page, "phone-failed-attempt", found)

    # The next attempt, answered right, passes and leads to the evaluation.
    page.get_by_role("button", name="Try again").click()
    # The new attempt's page shows one question at a time once its script has run.
    expect(status).to_have_text("Question 1 of 5")
    for number in range(1, 6):
        expect(status).to_have_text(f"Question {number} of 5")
        visible = page.locator("fieldset.question:visible")
        prompt = next(p for p in QUESTIONS if p in visible.inner_text())
        for right in QUESTIONS[prompt][1]:
            visible.get_by_label(right, exact=True).check()
        if number < 5:
            next_question.click()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Passed: 100%"))).to_be_visible()
    check_screen(page, "phone-passed", found)
    onward = page.get_by_role("link", name="Continue to the evaluation")
    onward.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('learning:evaluation', args=[page_of_training.pk])}")

    assert not found, "Serious or critical axe violations:\n" + "\n".join(found)


def test_without_script_the_phone_form_shows_every_question(
    chromium, live_server, transactional_db
):
    ensure_default_site()
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    the_quiz = quiz(great_lakes)
    training = webinar(great_lakes, quiz_slug=the_quiz.slug)
    learner = UserFactory()
    enroll(learner=learner, training=training)
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, learner.email)
        page.goto(reverse("learning:quiz", args=[training.pk, the_quiz.slug]))
        page.get_by_role("button", name="Start the post-test").click()
        expect(page.locator("fieldset.question:visible")).to_have_count(5)
        for prompt, (_, rights) in QUESTIONS.items():
            for right in rights:
                question(page, prompt).get_by_label(right, exact=True).check()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_role("heading", name=re.compile(r"^Passed: 100%"))).to_be_visible()
        no_sideways_scroll(page, "no-script-passed")
    finally:
        context.close()
