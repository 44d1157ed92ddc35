"""The demo's endorsement journeys: a holder in each association's public registry whose
verification page answers, an application waiting in the Great Lakes reviewer's queue with
its references answered, a professional whose application passes the rules the moment they
name their raters, and a private cohort only the demo center's people see. Loading the demo
again changes none of it, even after someone has used the demo."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from demo.endorsement import PROFESSIONALS, RATERS
from demo.loader import load_demo
from lms.accounts.models import User
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import (
    Application,
    ApplicationStatus,
    ApplicationSubmission,
    ChecklistTick,
    Endorsement,
    ReferenceRating,
    ReferenceRequest,
    ReferenceStatus,
    Review,
    ReviewOutcome,
)
from lms.endorsement.selectors.applications import application_draft
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.applications import start_application, submit_application
from lms.endorsement.services.fees import waive_fee
from lms.endorsement.services.references import name_rater
from lms.endorsement.services.review import decide_application, record_review
from lms.organizations.models import ContractTraining, Organization, SeatAssignment
from lms.records.models import RSCSession, TrainingRecord

pytestmark = pytest.mark.django_db

QUEUE = "/admin/endorsement-applications/"
CATALOG = "/catalog/"
GREAT_LAKES = {"HTTP_HOST": "great-lakes.localhost:8000"}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def signed_in(email) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def counts() -> dict:
    models = (
        User,
        Application,
        ApplicationSubmission,
        ReferenceRequest,
        ReferenceRating,
        Review,
        Endorsement,
        ChecklistTick,
        TrainingRecord,
        RSCSession,
        ContractTraining,
        SeatAssignment,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(framework):
    return load_demo()


def test_each_association_lists_an_endorsed_professional_whose_verification_page_answers(
    demo, client
):
    listed = {e.association.slug: e for e in demo["endorsements"]}
    assert set(listed) == {"great-lakes", "prairie"}
    for slug, endorsement in listed.items():
        assert endorsement.listed_in_registry and endorsement.is_current(endorsement.endorsed_on)
        name = endorsement.learner.get_full_name()
        registry = client.get(f"/registry/{slug}/")
        assert registry.status_code == 200
        assert f"{name} {endorsement.category.name} ({endorsement.category.code})" in text(registry)
        verify = client.get(f"/endorsements/verify/{endorsement.verification_id}/")
        assert verify.status_code == 200
        assert (
            f"Current : {name} holds endorsement as {endorsement.category.name} "
            f"({endorsement.category.code}) from {endorsement.association.name}." in text(verify)
        )
        # Granted through the real review: two reviewers recommended, one decided.
        application = endorsement.application
        assert application.status == ApplicationStatus.APPROVED
        assert Review.objects.filter(assignment__application=application).count() == 2


def test_the_reviewers_queue_holds_the_waiting_application_with_its_references_answered(demo):
    applicant = User.objects.get(email="applicant@attune.example")
    application = Application.objects.get(learner=applicant)
    assert application.status == ApplicationStatus.IN_REVIEW
    references = list(application.references.all())
    assert [r.status for r in references] == [ReferenceStatus.RECEIVED] * len(RATERS)
    assert all(r.ratings.count() == 8 for r in references)
    reviewers = {a.reviewer.email: a.reviews.count() for a in application.assignments.all()}
    assert reviewers == {"gl-reviewer@attune.example": 0, "gl-reviewer2@attune.example": 1}
    assert not Endorsement.objects.filter(learner=applicant).exists()

    queue = signed_in("gl-reviewer@attune.example").get(QUEUE)
    assert queue.status_code == 200
    assert "Casey Morgan" in text(queue) and "In review" in text(queue)
    detail = signed_in("gl-reviewer@attune.example").get(f"{QUEUE}{application.pk}/")
    assert detail.status_code == 200
    assert "Record my review" in text(detail)
    # Another association's reviewer never sees it.
    assert "Casey Morgan" not in text(signed_in("pr-reviewer@attune.example").get(QUEUE))


def test_the_ready_professional_submits_once_they_name_their_raters(demo):
    learner = User.objects.get(email="ready@attune.example")
    assert not Application.objects.filter(learner=learner).exists()
    application = start_application(
        learner=learner,
        association=Organization.objects.get(slug="great-lakes"),
        category=EndorsementCategory.objects.get(code="IFS"),
        kind="initial",
    )
    blocking, allowed = application_draft(application=application).open_items
    assert blocking == ["Name 3 more reference raters."] and allowed == []
    for email, relationship in RATERS:
        name_rater(
            application=application,
            learner=learner,
            name=User.objects.get(email=email).get_full_name(),
            email=email,
            relationship=relationship,
        )
    # Great Lakes charges the seeds' fees (demo/commerce.py) and the demo takes no payments
    # online: the fee stands in the way until it is paid or, here, waived by the admin.
    with pytest.raises(ValidationError, match=r"fee of \$125\.00 must be paid"):
        submit_application(application=application, learner=learner)
    waive_fee(
        application=application,
        by=User.objects.get(email="gl-admin@attune.example"),
        reason="Scholarship",
    )
    submit_application(application=application, learner=learner)
    application.refresh_from_db()
    # Both Great Lakes reviewers are free to review it: neither rates nor supervises Noor.
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.assignments.count() == 2


def test_the_private_cohort_is_seen_only_by_the_centers_people(demo):
    line = ContractTraining.objects.get(private=True)
    assert line.contract.center.slug == "sunrise-family-services"
    assert SeatAssignment.objects.filter(
        contract_training=line, staff__user__email="staff@attune.example"
    ).exists()
    title = line.training.title
    assert title in text(signed_in("staff@attune.example").get(CATALOG, **GREAT_LAKES))
    assert title in text(signed_in("manager@attune.example").get(CATALOG, **GREAT_LAKES))
    assert title not in text(signed_in("learner@attune.example").get(CATALOG, **GREAT_LAKES))
    assert title not in text(Client().get(CATALOG, **GREAT_LAKES))


def test_loading_the_demo_again_changes_nothing_even_after_the_reviewer_decided(demo):
    before = counts()
    assert load_demo()["endorsements"] == demo["endorsements"]
    assert counts() == before

    # The README's journey: the reviewer reviews and approves the waiting application.
    application = Application.objects.get(learner__email="applicant@attune.example")
    reviewer = User.objects.get(email="gl-reviewer@attune.example")
    marks = {a.code: ("met", "") for a in category_areas(category=application.category)}
    record_review(application=application, reviewer=reviewer, marks=marks, recommendation="approve")
    decide_application(application=application, by=reviewer, outcome=ReviewOutcome.APPROVE)
    after_journey = counts()
    load_demo()
    assert counts() == after_journey
    endorsement = Endorsement.objects.get(learner__email="applicant@attune.example")
    assert not endorsement.listed_in_registry  # listing is the holder's choice, not the demo's


def test_every_demo_professional_has_an_account_and_a_portfolio(demo):
    for spec in PROFESSIONALS:
        learner = User.objects.get(email=spec.email)
        assert learner.profile.target_category.code == spec.category
        assert learner.training_records.count() >= 5
