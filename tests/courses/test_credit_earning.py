"""Credit earned per kind at completion: each kind's rules on top of the training's, the
learner's choice of kinds to claim at the evaluation, and the rows written with the record."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Attendance, EvaluationResponse, LiveEventPage
from courses.services.completion import evaluate_completion
from courses.services.enrollment import enroll
from courses.services.quizzes import questions_of, start_attempt, submit_attempt
from lms.accounts.models import ProfessionalLicense
from lms.records.models import CreditClaim, RecordCredit, RecordEvent, TrainingRecord
from tests.courses.credit_helpers import offer, registry_hours, social_work_ce
from tests.courses.factories import training
from tests.courses.learning import STANDARD_QUESTIONS, quiz, recording, webinar
from tests.factories import UserFactory


def answers_scoring(the_quiz, right: int) -> dict[str, list[str]]:
    """Answers with the first ``right`` questions correct and the others wrong."""
    answers = {}
    for index, (qid, question) in enumerate(questions_of(the_quiz).items()):
        correct = index < right
        answers[qid] = [c.id for c in question.choices if c.correct == correct][:1]
        if correct:
            answers[qid] = [c.id for c in question.choices if c.correct]
    return answers


@pytest.fixture
def ethics_webinar(great_lakes):
    rec = recording(great_lakes, duration=300.0)
    post_test = quiz(great_lakes, questions=STANDARD_QUESTIONS[:4], pass_mark_percent=70)
    page = webinar(
        great_lakes,
        rec,
        quiz_slug=post_test.slug,
        require_watch=False,
        require_evaluation=False,
        hours={"TF": "3"},
    )
    sw = social_work_ce(great_lakes)
    registry = registry_hours(great_lakes)
    offer(page, sw, "3.0", category="ethics", approval_number="SW-COURSE-22")
    offer(page, registry, "3.0")
    return {"page": page, "quiz": post_test, "sw": sw, "registry": registry}


def evaluate(client, page, **fields):
    client.force_login(fields.pop("learner"))
    return client.post(f"/learning/trainings/{page.pk}/evaluation/", {"attested": "yes", **fields})


def test_passing_at_75_earns_registry_hours_but_not_social_work_ce(client, ethics_webinar):
    page, post_test = ethics_webinar["page"], ethics_webinar["quiz"]
    sw, registry = ethics_webinar["sw"], ethics_webinar["registry"]
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=page)
    # A first try at 50% fails the quiz; the second passes it at 75%: the best counts.
    first = submit_attempt(
        attempt=start_attempt(quiz=post_test, learner=learner),
        answers=answers_scoring(post_test, 2),
    )
    second = submit_attempt(
        attempt=start_attempt(quiz=post_test, learner=learner),
        answers=answers_scoring(post_test, 3),
    )
    assert (first.passed, second.passed) == (False, True)
    assert second.score_percent == Decimal("75")

    # The evaluation lists both kinds; the learner claims both and gives their license.
    client.force_login(learner)
    form = client.get(f"/learning/trainings/{page.pk}/evaluation/").content.decode()
    assert "Social work CE" in form and "Registry hours" in form
    assert "Social work license number" in form
    response = evaluate(
        client,
        page,
        learner=learner,
        **{
            f"claim-{sw.pk}": "yes",
            f"claim-{registry.pk}": "yes",
            f"license-{sw.pk}": " LMSW-6801 ",
            f"license-state-{sw.pk}": "Michigan",
        },
    )
    assert response.status_code == 302

    record = TrainingRecord.objects.get(learner=learner)
    enrollment.refresh_from_db()
    assert enrollment.record_id == record.pk
    credits = {c.kind_id: c for c in RecordCredit.objects.filter(record=record)}
    earned, missed = credits[registry.pk], credits[sw.pk]
    assert earned.earned and earned.not_earned_reason == ""
    assert earned.amount == Decimal("3.00") and earned.contact_hours == Decimal("3.00")
    assert not missed.earned
    assert missed.not_earned_reason == (
        "Your best post-test score was 75%; Social work CE needs 80%."
    )
    assert missed.best_score_percent == Decimal("75.00")
    # Frozen copies of the kind and the offer.
    assert missed.category == "ethics" and missed.course_approval_number == "SW-COURSE-22"
    assert missed.provider_approval_number == "SW-PROV-1187"
    assert missed.awarding_body == "State Board of Social Work"
    assert missed.license_profession == "social_work"
    # Only the earned kind is claimed; the license is kept in the profile for next time.
    assert list(CreditClaim.objects.values_list("credit__kind_id", flat=True)) == [registry.pk]
    assert CreditClaim.objects.get().license_number == ""
    held = ProfessionalLicense.objects.get(user=learner)
    assert (held.profession, held.number, held.jurisdiction) == (
        "social_work",
        "LMSW-6801",
        "Michigan",
    )
    assert EvaluationResponse.objects.get().credit_claims == sorted([sw.pk, registry.pk])
    assert RecordEvent.objects.filter(record=record, kind="credit_claimed").count() == 1

    # The record page shows both, with the reason for the one not earned.
    html = client.get(f"/records/{record.verification_id}/").content.decode()
    assert "Your best post-test score was 75%; Social work CE needs 80%." in html
    assert "Registry hours" in html

    # Running completion again writes nothing more.
    evaluate_completion(enrollment_id=enrollment.pk)
    assert RecordCredit.objects.count() == 2 and CreditClaim.objects.count() == 1


def test_at_80_both_are_earned_and_claimed_with_the_license(client, ethics_webinar):
    page, post_test, sw = ethics_webinar["page"], ethics_webinar["quiz"], ethics_webinar["sw"]
    learner = UserFactory()
    ProfessionalLicense.objects.create(
        user=learner, profession="social_work", number="LMSW-1", jurisdiction="Ohio"
    )
    enroll(learner=learner, training=page)
    submit_attempt(
        attempt=start_attempt(quiz=post_test, learner=learner),
        answers=answers_scoring(post_test, 4),
    )
    client.force_login(learner)
    form = client.get(f"/learning/trainings/{page.pk}/evaluation/").content.decode()
    # Kinds of the learner's own license, and kinds needing none, come checked.
    assert form.count("checked") == 2 and 'value="LMSW-1"' in form
    evaluate(
        client,
        page,
        learner=learner,
        **{f"claim-{sw.pk}": "yes", f"license-{sw.pk}": "LMSW-1", f"license-state-{sw.pk}": "Ohio"},
    )
    credit = RecordCredit.objects.get(kind=sw)
    assert credit.earned and credit.best_score_percent == Decimal("100.00")
    claim = CreditClaim.objects.get()
    assert (claim.credit, claim.license_number, claim.license_jurisdiction) == (
        credit,
        "LMSW-1",
        "Ohio",
    )


def test_a_claim_needing_a_license_without_one_is_refused_and_nothing_is_stored(
    client, ethics_webinar
):
    page, sw = ethics_webinar["page"], ethics_webinar["sw"]
    learner = UserFactory()
    enroll(learner=learner, training=page)
    response = evaluate(client, page, learner=learner, **{f"claim-{sw.pk}": "yes"})
    assert response.status_code == 200
    assert (
        "Enter your license number to claim Social work CE, or leave it unchecked."
        in response.content.decode()
    )
    assert not EvaluationResponse.objects.exists()
    assert not ProfessionalLicense.objects.exists()


def test_approval_dates_and_attendance_of_a_live_event(great_lakes):
    event = training(
        great_lakes,
        "Ethics in home visiting",
        kind="event",
        hours={"TF": "3"},
        require_evaluation=False,
        minimum_attendance_percent=50,
    )
    attended = registry_hours(great_lakes, minimum_attendance_percent=90)
    lapsed = registry_hours(
        great_lakes,
        name="Nursing contact hours",
        code="nursing",
        approved_until=timezone.now().date() - datetime.timedelta(days=10),
    )
    offer(event, attended, "3.0")
    offer(event, lapsed, "3.0")
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=event)
    # The event took place two days ago (registration closed when it started).
    starts = timezone.now() - datetime.timedelta(days=2)
    LiveEventPage.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    Attendance.objects.create(enrollment=enrollment, minutes=150, source="manual")
    assert evaluate_completion(enrollment_id=enrollment.pk).status == "completed"
    rows = {c.kind_id: c for c in RecordCredit.objects.all()}
    assert rows[attended.pk].attendance_percent == Decimal("83.33")
    assert rows[attended.pk].not_earned_reason == (
        "You attended 83% of the event; Registry hours needs 90%."
    )
    assert not rows[lapsed.pk].earned
    assert "was not approved on" in rows[lapsed.pk].not_earned_reason
    # Nothing was chosen at an evaluation this event does not ask for: no claims.
    assert not CreditClaim.objects.exists()


def test_a_training_without_credit_offers_writes_no_credit(client, great_lakes):
    page = webinar(
        great_lakes, recording(great_lakes), require_watch=False, require_evaluation=False
    )
    learner = UserFactory()
    enroll(learner=learner, training=page)
    evaluate(client, page, learner=learner)
    assert TrainingRecord.objects.filter(learner=learner).exists()
    assert not RecordCredit.objects.exists()
