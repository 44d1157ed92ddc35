"""Applications as a learner uses them: the draft follows the records, exclusions and
outside training, checklist evidence, submission and its frozen snapshot, withdrawal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import (
    Application,
    ApplicationStatus,
    ApplicationSubmission,
    ChecklistTick,
)
from lms.endorsement.selectors.applications import application_draft, changes_since
from lms.endorsement.services.applications import (
    exclude_record,
    start_application,
    submit_application,
)
from lms.endorsement.services.checklist import remove_checklist_tick
from lms.records.models import ExternalTraining, TrainingRecord
from lms.records.services.amendments import amend_record, revoke_record
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import RULES, name_raters, ready_application, small_rules, text
from tests.lms.records.factories import issue
from tests.lms.records.test_transcript import bulk_records
from tests.lms.records.test_views import PDF_BYTES

pytestmark = pytest.mark.django_db


def start(learner, lakes, kind="initial", category="IFS"):
    return start_application(
        learner=learner,
        association=lakes,
        category=EndorsementCategory.objects.get(code=category),
        kind=kind,
    )


def test_a_record_issued_after_the_draft_exists_is_in_it_with_no_action(client, lakes):
    learner = UserFactory()
    issue(learner, title="Attachment basics", duration_hours=Decimal("2"), area_hours={"TF": 2})
    application = start(learner, lakes)
    client.force_login(learner)
    url = reverse("endorsement:application", args=[application.pk])
    page = text(client.get(url))
    assert "Attachment basics" in page
    assert "1 hour more of training" in page

    issue(learner, title="Cultural humility", duration_hours=Decimal("1.5"), area_hours={"TF": 1.5})

    page = text(client.get(url))
    assert "Cultural humility" in page
    assert "1 hour more of training" not in page
    draft = application_draft(application=application)
    assert {e.facts.title for e in draft.training} == {"Attachment basics", "Cultural humility"}
    assert draft.evaluation.results[0].met


def test_starting_twice_gives_the_same_draft_and_renewal_needs_an_endorsement(lakes):
    learner = UserFactory()
    assert start(learner, lakes) == start(learner, lakes)
    assert Application.objects.count() == 1
    with pytest.raises(ValidationError, match="do not hold IFS"):
        start(learner, lakes, kind="renewal")
    with pytest.raises(ValidationError, match="no initial application rules for IMHS"):
        start(learner, lakes, category="IMHS")


def test_learner_leaves_a_record_out_with_a_reason_and_puts_it_back(client, lakes):
    learner = UserFactory()
    record = issue(learner, title="Old webinar", area_hours={"TF": 3.5})
    application = start(learner, lakes)
    client.force_login(learner)
    exclude = reverse("endorsement:application_exclude", args=[application.pk])
    client.post(exclude, {"record": str(record.verification_id), "reason": ""})
    assert not application.exclusions.exists()
    client.post(exclude, {"record": str(record.verification_id), "reason": "Not IMH content"})
    draft = application_draft(application=application)
    assert [e.exclusion.reason for e in draft.excluded] == ["Not IMH content"]
    assert draft.training == [] and not draft.evaluation.results[0].met
    # Someone else's record cannot be excluded (or even named).
    other = issue(UserFactory())
    refused = client.post(exclude, {"record": str(other.verification_id), "reason": "x"})
    assert refused.status_code == 404

    client.post(
        reverse("endorsement:application_include", args=[application.pk]),
        {"record": str(record.verification_id)},
    )
    assert not application.exclusions.exists()


def test_outside_training_added_from_the_application_goes_into_the_records(client, lakes):
    learner = UserFactory()
    application = start(learner, lakes)
    client.force_login(learner)
    url = reverse("endorsement:application_training", args=[application.pk])
    form = {
        "title": "Home visiting in rural counties",
        "provider_name": "County Health",
        "completed_on": "2024-05-02",
        "duration_hours": "2",
        "delivery_format": "in_person",
        "hours_TF": "2",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    record = ExternalTraining.objects.get(learner=learner)
    assert record.title == "Home visiting in rural counties"
    draft = application_draft(application=application)
    assert [e.record.pk for e in draft.training] == [record.pk]
    # Bad input: a clear message, nothing added.
    bad = client.post(url, {**form, "hours_TF": "1"})
    assert bad.status_code == 400
    assert "add up to 1" in text(bad)
    assert ExternalTraining.objects.filter(learner=learner).count() == 1


def test_bad_evidence_files_are_refused_with_a_clear_message_and_nothing_saved(client, lakes):
    learner = UserFactory()
    application = start(learner, lakes)
    client.force_login(learner)
    url = reverse("endorsement:application_checklist", args=[application.pk])
    fake = SimpleUploadedFile("ethics.pdf", b"<html>no</html>", content_type="application/pdf")
    response = client.post(
        url, {"item": "code_of_ethics", "completed_on": "2024-02-01", "evidence": fake}, follow=True
    )
    assert "Upload a PDF or an image (PNG, JPEG or WebP)." in text(response)
    assert not ChecklistTick.objects.exists()

    good = SimpleUploadedFile("ethics.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(url, {"item": "code_of_ethics", "completed_on": "2024-02-01", "evidence": good})
    tick = ChecklistTick.objects.get(learner=learner)
    assert tick.evidence_content_type == "application/pdf"
    draft = application_draft(application=application)
    assert [(r.rule.checklist_item, r.met, r.tick.has_evidence) for r in draft.checklist] == [
        ("code_of_ethics", True, True)
    ]


def test_submission_needs_readiness_and_freezes_a_snapshot(client, lakes):
    application, _ = ready_application(lakes, raters=2)
    learner = application.learner
    client.force_login(learner)
    submit = reverse("endorsement:application_submit", args=[application.pk])
    page = text(client.post(submit, follow=True))
    assert "Not ready to submit yet: Name 1 more reference rater." in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not ApplicationSubmission.objects.exists()

    name_raters(application, 1)
    client.post(submit)
    client.post(submit)  # a double submit changes nothing twice
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    submission = ApplicationSubmission.objects.get()
    assert submission.number == 1
    assert submission.requirement_set.kind == "initial"
    assert submission.evaluation["met"] is True
    assert submission.evaluation["rule_set"]["version"] == "v1"
    assert [(r["title"], r["duration_hours"], r["counted"]) for r in submission.records] == [
        (TrainingRecord.objects.get().title, "3.50", True)
    ]
    assert [row["item"] for row in submission.checklist] == ["code_of_ethics", "references"]
    # Submitted: the draft can no longer change.
    with pytest.raises(ValidationError, match="submitted; it cannot be changed"):
        exclude_record(
            application=application,
            learner=learner,
            record=TrainingRecord.objects.get(),
            reason="late",
        )
    # The ticked evidence stays with the submission.
    tick = ChecklistTick.objects.get()
    with pytest.raises(ValidationError, match="submitted application"):
        remove_checklist_tick(learner=learner, tick_id=tick.pk)


def test_submitted_snapshot_stays_the_same_after_amendment_and_reviewers_see_a_flag(
    lakes,
):
    application, _ = ready_application(lakes)
    learner = application.learner
    record = TrainingRecord.objects.get(learner=learner)
    submission = submit_application(application=application, learner=learner)
    frozen = (list(submission.records), dict(submission.evaluation))
    issuer = UserFactory()

    amend_record(
        record=record, by=issuer, reason="Wrong date", completed_on=datetime.date(2024, 3, 1)
    )
    later = issue(learner, title="Issued after submitting")

    submission = ApplicationSubmission.objects.get(pk=submission.pk)
    assert (submission.records, submission.evaluation) == frozen
    assert submission.records[0]["date"] == "2024-03-14"
    assert later.pk not in [row["pk"] for row in submission.records]
    changes = changes_since(submission=submission)
    assert list(changes) == [record.pk]
    (line,) = changes[record.pk].lines
    assert line.startswith("Amended on ") and line.endswith("Date: 2024-03-14 → 2024-03-01")

    revoke_record(record=record, by=issuer, reason="Issued in error")
    assert ApplicationSubmission.objects.get(pk=submission.pk).records == frozen[0]
    assert changes_since(submission=submission)[record.pk].revoked_at is not None


def test_open_items_the_rules_allow_are_named_on_the_submission(lakes):
    exam = {"kind": "checklist", "checklist_item": "exam", "open_at_submission": True}
    imhs = OrganizationFactory()
    small_rules(imhs, "IMHS", initial_rules=[*RULES, exam])
    application, _ = ready_application(imhs, category="IMHS")
    submission = submit_application(application=application, learner=application.learner)
    assert submission.open_items == ["Endorsement exam: not ticked yet."]


def test_learner_withdraws_and_may_start_again(client, lakes):
    learner = UserFactory()
    application = start(learner, lakes)
    client.force_login(learner)
    client.post(reverse("endorsement:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert start(learner, lakes) != application


def test_applications_are_the_learners_own(client, lakes):
    application = start(UserFactory(), lakes)
    client.force_login(UserFactory())
    for name in ("application", "application_training"):
        assert client.get(reverse(f"endorsement:{name}", args=[application.pk])).status_code == 404
    response = client.post(reverse("endorsement:application_submit", args=[application.pk]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_application_list_starts_an_application(client, lakes):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(
        reverse("endorsement:applications"),
        {"association": "lakes", "category": "IFS", "kind": "initial"},
    )
    application = Application.objects.get(learner=learner)
    assert response["Location"] == reverse("endorsement:application", args=[application.pk])
    bad = client.post(
        reverse("endorsement:applications"),
        {"association": "lakes", "category": "IFS", "kind": "renewal"},
    )
    assert bad.status_code == 400
    assert "do not hold IFS" in text(bad)


def test_draft_page_query_count_does_not_grow_with_records(
    client, lakes, django_assert_max_num_queries
):
    def draft_page(count):
        learner = UserFactory()
        bulk_records(learner, count)
        application = start(learner, lakes)
        client.force_login(learner)
        url = reverse("endorsement:application", args=[application.pk])
        client.get(url)
        with django_assert_max_num_queries(40) as counted:
            page = text(client.get(url))
        return page, len(counted.captured_queries)

    small, few = draft_page(5)
    large, many = draft_page(300)
    assert "Bulk training 4" in small and "Bulk training 299" in large
    assert many == few
