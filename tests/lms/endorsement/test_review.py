"""Review in the admin: reviewers see their own association's applications only, conflicts
of interest are refused, every reviewer recommends, and the decision writes the Endorsement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from lms.endorsement.models import (
    ApplicationStatus,
    Endorsement,
    EndorsementSource,
    RaterRelationship,
    RequirementSet,
)
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.selectors.review import eligible_reviewers
from lms.endorsement.services.applications import (
    reopen_application,
    set_supervisor,
    submit_application,
)
from lms.endorsement.services.references import name_rater
from lms.endorsement.services.review import (
    assign_reviewer,
    decide_application,
    record_exam_result,
    record_review,
    resume_review,
)
from lms.organizations.models import Role
from lms.organizations.services import add_member
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import (
    RULES,
    admin_of,
    rate,
    ready_application,
    reviewer_of,
    sent_at_once,
    small_rules,
    text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def prairie(framework):
    association = OrganizationFactory(name="Prairie Association", slug="prairie")
    small_rules(association)
    return association


def submitted(association, **kwargs):
    application, raters = ready_application(association, **kwargs)
    for rater in raters:
        rate(application, rater)
    with sent_at_once():
        submit_application(application=application, learner=application.learner)
    application.refresh_from_db()
    return application


def marks(application, mark="met"):
    return {a.code: (mark, "") for a in category_areas(category=application.category)}


def review_all(application, recommendation="approve"):
    for assignment in application.assignments.all():
        record_review(
            application=application,
            reviewer=assignment.reviewer,
            marks=marks(application),
            recommendation=recommendation,
        )


def test_reviewers_see_their_own_associations_applications_only(client, lakes, prairie):
    lakes_reviewers = [reviewer_of(lakes), reviewer_of(lakes)]
    prairie_reviewers = [reviewer_of(prairie), reviewer_of(prairie)]
    lakes_app = submitted(lakes)
    prairie_app = submitted(prairie)
    assert set(lakes_app.assignments.values_list("reviewer", flat=True)) == {
        u.pk for u in lakes_reviewers
    }
    assert lakes_app.status == ApplicationStatus.IN_REVIEW

    client.force_login(prairie_reviewers[0])
    listing = text(client.get(reverse("applications_admin:applications")))
    assert prairie_app.learner.get_full_name() in listing
    assert lakes_app.learner.get_full_name() not in listing
    detail = reverse("applications_admin:application", args=[lakes_app.pk])
    assert client.get(detail).status_code == 404
    post = client.post(detail, {"action": "decide", "outcome": "approve"})
    assert post.status_code == 404
    # Not even an administrator of the other association.
    client.force_login(admin_of(prairie))
    assert client.get(detail).status_code == 404
    # The association's own administrator sees it; a reviewer not assigned does not.
    client.force_login(admin_of(lakes))
    assert client.get(detail).status_code == 200
    client.force_login(reviewer_of(lakes))
    assert client.get(detail).status_code == 404
    # A learner has no admin screens.
    client.force_login(lakes_app.learner)
    assert client.get(reverse("applications_admin:applications")).status_code in (302, 403)


def test_a_rater_or_supervisor_of_the_applicant_cannot_be_assigned(lakes):
    application, raters = ready_application(lakes)
    set_supervisor(
        application=application,
        learner=application.learner,
        name="Sam Supervisor",
        email="SAM.Supervisor@attune.test",
    )
    rater_reviewer = raters[0]
    add_member(organization=lakes, user=rater_reviewer, role=Role.REVIEWER)
    supervisor = reviewer_of(lakes, email="sam.supervisor@attune.test")
    applicant_as_reviewer = application.learner
    add_member(organization=lakes, user=applicant_as_reviewer, role=Role.REVIEWER)
    fair = [reviewer_of(lakes), reviewer_of(lakes)]
    for rater in raters:
        rate(application, rater)
    with sent_at_once():
        submit_application(application=application, learner=application.learner)

    assigned = set(application.assignments.values_list("reviewer", flat=True))
    assert assigned == {u.pk for u in fair}
    application.refresh_from_db()
    assert eligible_reviewers(application=application) == []
    admin = admin_of(lakes)
    for conflicted, reason in (
        (rater_reviewer, "rater or supervisor"),
        (supervisor, "rater or supervisor"),
        (applicant_as_reviewer, "own application"),
    ):
        with pytest.raises(ValidationError, match=reason):
            assign_reviewer(application=application, reviewer=conflicted, by=admin)
    assert set(application.assignments.values_list("reviewer", flat=True)) == assigned
    # Someone who is not a reviewer of the association cannot be assigned, and a reviewer
    # cannot assign.
    with pytest.raises(ValidationError, match="not a reviewer"):
        assign_reviewer(application=application, reviewer=UserFactory(), by=admin)
    with pytest.raises(PermissionError):
        assign_reviewer(application=application, reviewer=fair[0], by=fair[1])


def test_supervisor_named_as_rater_is_matched_by_email(lakes):
    application, _ = ready_application(lakes, raters=2)
    supervisor = reviewer_of(lakes)
    name_rater(
        application=application,
        learner=application.learner,
        name="Boss",
        email=supervisor.email.upper(),
        relationship=RaterRelationship.CURRENT_SUPERVISOR,
    )
    application.refresh_from_db()
    assert application.supervisor_email == supervisor.email.upper()
    assert supervisor not in eligible_reviewers(application=application)


def test_approval_in_the_admin_writes_the_endorsement_with_its_renewal_date(client, lakes):
    first, second = reviewer_of(lakes), reviewer_of(lakes)
    application = submitted(lakes)
    url = reverse("applications_admin:application", args=[application.pk])
    client.force_login(first)
    page = text(client.get(url))
    assert "Your review" in page and "Decision" not in page.split("Reviewers", 1)[1]
    form = {"action": "review", "recommendation": "approve", "comments": "Solid."}
    form.update({f"mark_{a.code}": "met" for a in category_areas(category=application.category)})
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert "already reviewed" in text(again)
    early = client.post(url, {"action": "decide", "outcome": "approve"})
    assert "Every assigned reviewer" in text(early)

    client.force_login(second)
    client.post(url, form)
    assert "Record decision" in text(client.get(url))
    response = client.post(url, {"action": "decide", "outcome": "approve", "comments": "Welcome"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    endorsement = Endorsement.objects.get(learner=application.learner)
    assert endorsement == application.endorsement
    assert endorsement.source == EndorsementSource.APPLICATION
    today = endorsement.endorsed_on
    # Calendar-year renewal due 31 December: the first full year after the endorsement.
    expected_year = today.year if today == datetime.date(today.year, 1, 1) else today.year + 1
    assert endorsement.renewal_due == datetime.date(expected_year, 12, 31)


@pytest.mark.parametrize(
    ("approved_on", "due_month", "due_day", "expected"),
    [
        (datetime.date(2025, 6, 10), 12, 31, datetime.date(2026, 12, 31)),
        (datetime.date(2025, 1, 1), 12, 31, datetime.date(2025, 12, 31)),
        (datetime.date(2025, 6, 10), 1, 31, datetime.date(2027, 1, 31)),
    ],
)
def test_renewal_date_follows_the_renewal_rules_cycle(
    lakes, approved_on, due_month, due_day, expected
):
    RequirementSet.objects.filter(association=lakes, kind="renewal").update(
        due_month=due_month, due_day=due_day
    )
    reviewer_of(lakes), reviewer_of(lakes)
    application = submitted(lakes)
    review_all(application)
    decide_application(
        application=application,
        by=application.assignments.first().reviewer,
        outcome="approve",
        on=approved_on,
    )
    endorsement = Endorsement.objects.get(learner=application.learner)
    assert (endorsement.endorsed_on, endorsement.renewal_due) == (approved_on, expected)


def test_approval_needs_the_ratings_and_deferral_names_what_to_add(lakes):
    reviewer_of(lakes), reviewer_of(lakes)
    application, raters = ready_application(lakes)
    rate(application, raters[0])
    with sent_at_once():
        submit_application(application=application, learner=application.learner)
    review_all(application, "defer")
    by = application.assignments.first().reviewer
    with pytest.raises(ValidationError, match="1 of 3 reference ratings"):
        decide_application(application=application, by=by, outcome="approve")
    with pytest.raises(ValidationError, match="Say what the applicant should add"):
        decide_application(application=application, by=by, outcome="defer")
    assert not Endorsement.objects.exists()
    with sent_at_once():
        decide_application(
            application=application, by=by, outcome="defer", requested_items="A DEI training."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DEFERRED
    with pytest.raises(ValidationError, match="deferred; it cannot be decided"):
        decide_application(application=application, by=by, outcome="hold")

    # The learner reopens, adds what was asked and submits again: a second submission.
    reopen_application(application=application, learner=application.learner)
    with sent_at_once():
        second = submit_application(application=application, learner=application.learner)
    assert second.number == 2
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_exam_categories_approve_to_sit_the_exam_then_the_result_decides(lakes):
    imhs = OrganizationFactory()
    exam = {"kind": "checklist", "checklist_item": "exam", "open_at_submission": True}
    small_rules(imhs, "IMHS", initial_rules=[*RULES, exam])
    reviewer_of(imhs), reviewer_of(imhs)
    admin = admin_of(imhs)
    application = submitted(imhs, category="IMHS")
    review_all(application, "approve_exam")
    by = application.assignments.first().reviewer
    with pytest.raises(ValidationError, match="Items are still open"):
        decide_application(application=application, by=by, outcome="approve")
    decide_application(application=application, by=by, outcome="approve_exam")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXAM_APPROVED
    assert not Endorsement.objects.exists()
    with pytest.raises(PermissionError):
        record_exam_result(
            application=application, by=by, passed=True, taken_on=datetime.date(2025, 3, 1)
        )
    record_exam_result(
        application=application, by=admin, passed=True, taken_on=datetime.date(2025, 3, 1)
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.endorsement.endorsed_on == datetime.date(2025, 3, 1)
    # Categories without an exam cannot be approved to sit one.
    reviewer_of(lakes), reviewer_of(lakes)
    plain = submitted(lakes)
    review_all(plain)
    with pytest.raises(ValidationError, match="no exam"):
        decide_application(
            application=plain, by=plain.assignments.first().reviewer, outcome="approve_exam"
        )


def test_hold_and_resume(lakes):
    reviewer_of(lakes), reviewer_of(lakes)
    application = submitted(lakes)
    review_all(application, "hold")
    by = application.assignments.first().reviewer
    decide_application(application=application, by=by, outcome="hold", comments="Membership lapsed")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_HOLD
    with pytest.raises(PermissionError):
        resume_review(application=application, by=UserFactory())
    resume_review(application=application, by=by)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_review_list_query_count_is_flat(client, lakes, django_assert_max_num_queries):
    admin = admin_of(lakes)
    reviewer_of(lakes), reviewer_of(lakes)
    submitted(lakes)
    client.force_login(admin)
    url = reverse("applications_admin:applications")
    client.get(url)
    connection.queries_log.clear()  # a full log would capture nothing
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    first_count = len(few.captured_queries)  # read before the log is cleared again
    for _ in range(3):
        submitted(lakes)
    client.get(url)  # what the saves above made stale in the cache is read again
    connection.queries_log.clear()
    with django_assert_max_num_queries(first_count):
        page = text(client.get(url))
    assert page.count("In review") >= 4
