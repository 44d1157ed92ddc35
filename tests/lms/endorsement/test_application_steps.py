"""The application as steps: each step's state follows the draft's own checks, each step is its
own page (``?step=``), changes come back to their step, and only the owner sees any of it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from lms.competencies.models import EndorsementCategory
from lms.endorsement.selectors.application_steps import (
    STEP_SLUGS,
    StepState,
    application_steps,
)
from lms.endorsement.selectors.applications import application_draft
from lms.endorsement.services.applications import start_application
from lms.endorsement.services.checklist import tick_checklist_item
from lms.records.services.external import add_external_training
from tests.factories import UserFactory
from tests.lms.endorsement.applying import name_raters, ready_application, text
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db


def start(learner, lakes):
    return start_application(
        learner=learner,
        association=lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        kind="initial",
    )


def states(application):
    steps = application_steps(draft=application_draft(application=application))
    return {s.slug: s.state for s in steps}


def test_a_new_draft_has_every_step_not_started(lakes):
    application = start(UserFactory(), lakes)
    assert states(application) == {
        "records": StepState.NOT_STARTED,
        "outside-training": StepState.NOT_STARTED,
        "rsc": StepState.DONE,  # these rules ask for no RSC
        "checklist": StepState.NOT_STARTED,
        "references": StepState.NOT_STARTED,
        "review": StepState.NOT_STARTED,
    }


def test_steps_move_from_attention_to_done_as_the_learner_adds_what_is_missing(lakes):
    learner = UserFactory()
    issue(learner, title="Attachment basics", duration_hours=Decimal("2"), area_hours={"TF": 2})
    application = start(learner, lakes)
    name_raters(application, 1)
    found = states(application)
    assert found["records"] == StepState.ATTENTION
    assert found["references"] == StepState.ATTENTION
    steps = {s.slug: s for s in application_steps(draft=application_draft(application=application))}
    assert any("1 hour more of training" in line for line in steps["records"].missing)
    assert steps["references"].missing == ("Name 2 more reference raters.",)
    assert steps["references"].summary == "1 of 3 raters named"

    add_external_training(
        learner=learner,
        title="Circle of Security",
        completed_on=datetime.date(2024, 3, 1),
        duration_hours=Decimal("1.5"),
        provider_name="Riverbend Clinic",
        area_hours={"TF": Decimal("1.5")},
        delivery_format="in_person",
    )
    tick_checklist_item(
        learner=learner,
        association=lakes,
        item="code_of_ethics",
        completed_on=datetime.date(2024, 1, 10),
    )
    name_raters(application, 2)
    assert set(states(application).values()) == {StepState.DONE}


def test_each_step_is_its_own_page_with_its_state_and_the_next_step(client, lakes):
    learner = UserFactory()
    issue(learner, title="Attachment basics", duration_hours=Decimal("2"), area_hours={"TF": 2})
    application = start(learner, lakes)
    client.force_login(learner)
    url = reverse("endorsement:application", args=[application.pk])

    first = text(client.get(url))
    assert "Step 1 of 6: Your records" in first
    assert "Attachment basics" in first and "1 hour more of training" in first
    assert "Next: Outside training" in first
    assert "Tick item" not in first and "Name rater" not in first

    pages = {slug: client.get(url, {"step": slug}) for slug in STEP_SLUGS}
    assert all(r.status_code == 200 for r in pages.values())
    assert 'aria-current="step"' in pages["references"].content.decode()
    assert "Name rater" in text(pages["references"])
    assert "Tick item" in text(pages["checklist"])
    assert "Add outside training" in text(pages["outside-training"])
    assert "Log an RSC session" in text(pages["rsc"])
    review = text(pages["review"])
    assert "Not yet. Still needed:" in review and "Submit application" not in review
    assert "Back: References" in review
    # An unknown step is the first one, never an error.
    assert "Step 1 of 6" in text(client.get(url, {"step": "nonsense"}))


def test_a_ready_draft_is_submitted_from_the_review_step(client, lakes):
    application, _raters = ready_application(lakes)
    client.force_login(application.learner)
    url = reverse("endorsement:application", args=[application.pk])
    review = text(client.get(url, {"step": "review"}))
    assert "Everything needed to submit is in place." in review
    assert "6 of 6 steps done" in review
    assert "Submit application" in review
    response = client.post(reverse("endorsement:application_submit", args=[application.pk]))
    assert response["Location"] == url
    again = client.post(reverse("endorsement:application_submit", args=[application.pk]))
    assert again.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submissions.count() == 1
    submitted = text(client.get(url))
    assert "What you submitted" in submitted and "Step 1 of 6" not in submitted


def test_changes_come_back_to_their_step(client, lakes):
    learner = UserFactory()
    record = issue(learner, title="Old webinar", area_hours={"TF": 3.5})
    application = start(learner, lakes)
    client.force_login(learner)
    base = reverse("endorsement:application", args=[application.pk])
    left_out = client.post(
        reverse("endorsement:application_exclude", args=[application.pk]),
        {"record": record.verification_id, "reason": "Duplicate", "step": "records"},
    )
    assert left_out["Location"] == f"{base}?step=records"
    named = client.post(
        reverse("endorsement:application_rater", args=[application.pk]),
        {"name": "Rae", "email": "rae@example.org", "relationship": "colleague"},
    )
    assert named["Location"] == f"{base}?step=references"
    odd = client.post(
        reverse("endorsement:application_include", args=[application.pk]),
        {"record": record.verification_id, "step": "https://evil.example"},
    )
    assert odd["Location"] == f"{base}?step=records"


def test_another_learner_never_sees_a_step(client, lakes):
    application = start(UserFactory(), lakes)
    client.force_login(UserFactory())
    url = reverse("endorsement:application", args=[application.pk])
    for slug in STEP_SLUGS:
        assert client.get(url, {"step": slug}).status_code == 404
