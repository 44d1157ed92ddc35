import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lms.records import signals
from lms.records.facts import FacilitatorSnapshot, facts_for
from lms.records.models import (
    ImmutableRecordError,
    PlatformCompletion,
    RecordAreaHours,
    RecordEvent,
    RecordStatus,
    TrainingRecord,
    VerificationTier,
)
from lms.records.services.amendments import amend_record, revoke_record
from lms.records.services.issuing import issue_completion_record
from tests.factories import UserFactory

from .factories import issue

pytestmark = pytest.mark.django_db


def test_issuing_twice_returns_the_same_record(framework):
    learner = UserFactory()
    first = issue(learner, source_key="webinar:42")
    again = issue(learner, source_key="webinar:42", title="Something else entirely")
    assert again.pk == first.pk
    assert TrainingRecord.objects.filter(learner=learner).count() == 1
    assert again.title == first.title
    assert RecordEvent.objects.filter(record=first, kind="issued").count() == 1


def test_issued_record_has_snapshot_rows_and_tier(framework):
    record = issue(facilitators=[FacilitatorSnapshot("Ana Ruiz", "PhD"), {"name": "Bo Lind"}])
    assert isinstance(record, PlatformCompletion)
    assert record.verification_tier == VerificationTier.PLATFORM_VERIFIED
    facts = facts_for(TrainingRecord.objects.get(pk=record.pk))
    assert facts.hours_by_area == {"TF": Decimal("2.50"), "REF": Decimal("1.00")}
    assert facts.facilitator_names == "Ana Ruiz, PhD; Bo Lind"


def test_live_attendance_defaults_to_attendance_verified(framework):
    record = issue(kind="live_attendance")
    assert record.verification_tier == VerificationTier.ATTENDANCE_VERIFIED


def test_issue_sends_signal(framework):
    received = []

    def listener(sender, record, **kwargs):
        received.append(record.pk)

    signals.record_issued.connect(listener)
    try:
        record = issue()
    finally:
        signals.record_issued.disconnect(listener)
    assert received == [record.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"area_hours": {"TF": Decimal("1.00")}}, "area_hours"),
        ({"area_hours": {"XX": Decimal("3.50")}}, "area_hours"),
        ({"duration_hours": Decimal("0")}, "duration_hours"),
        ({"duration_hours": Decimal("-1")}, "duration_hours"),
        (
            {"duration_hours": Decimal("3.3"), "area_hours": {"TF": Decimal("3.3")}},
            "duration_hours",
        ),
        ({"completed_on": datetime.date.today() + datetime.timedelta(days=2)}, "completed_on"),
        ({"sub_area_codes": ["NOPE.X"]}, "sub_area_codes"),
        ({"delivery_format": "carrier_pigeon"}, "delivery_format"),
    ],
)
def test_invalid_snapshot_is_refused_and_nothing_saved(framework, overrides, field):
    with pytest.raises(ValidationError) as exc:
        issue(**overrides)
    assert field in exc.value.message_dict
    assert not TrainingRecord.objects.exists()


def test_saving_a_changed_issued_record_is_refused(framework):
    record = issue()
    loaded = TrainingRecord.objects.get(pk=record.pk)
    for name, value in [
        ("title", "A better title"),
        ("duration_hours", Decimal("5")),
        ("completed_on", datetime.date(2020, 1, 1)),
        ("verification_tier", VerificationTier.SELF_REPORTED),
        ("provider_name", "Someone else"),
    ]:
        original = getattr(loaded, name)
        setattr(loaded, name, value)
        with pytest.raises(ImmutableRecordError):
            loaded.save()
        setattr(loaded, name, original)
    loaded.save()  # unchanged values save fine
    with pytest.raises(ImmutableRecordError):
        TrainingRecord.objects.filter(pk=record.pk).update(title="x")
    with pytest.raises(ImmutableRecordError):
        loaded.delete()
    with pytest.raises(ImmutableRecordError):
        TrainingRecord.objects.filter(pk=record.pk).delete()
    hours = RecordAreaHours.objects.filter(record=record).first()
    hours.hours = Decimal("9")
    with pytest.raises(ImmutableRecordError):
        hours.save()
    assert TrainingRecord.objects.get(pk=record.pk).title == record.title


def test_amendment_changes_effective_values_not_the_row(framework):
    record = issue()
    editor = UserFactory()
    amend_record(
        record=record,
        by=editor,
        reason="Duration was misprinted on the agenda",
        duration_hours=Decimal("4"),
        area_hours={"TF": Decimal("3"), "REF": Decimal("1")},
        facilitators=[{"name": "Dana Whitfield", "credentials": "LCSW"}],
    )
    fresh = TrainingRecord.objects.get(pk=record.pk)
    assert fresh.duration_hours == Decimal("3.50")
    facts = facts_for(fresh)
    assert facts.duration_hours == Decimal("4.00")
    assert facts.hours_by_area == {"TF": Decimal("3.00"), "REF": Decimal("1.00")}
    assert facts.facilitator_names == "Dana Whitfield, LCSW"
    assert facts.amended_fields == {"duration_hours", "area_hours", "facilitators"}
    amendment = fresh.amendments.get()
    assert amendment.changes["duration_hours"] == {"from": "3.50", "to": "4.00"}
    assert amendment.amended_by == editor


def test_amendment_is_validated(framework):
    record = issue()
    by = UserFactory()
    with pytest.raises(ValidationError):
        amend_record(record=record, by=by, reason="", title="New")
    with pytest.raises(ValidationError):  # area hours no longer add up
        amend_record(record=record, by=by, reason="typo", duration_hours=Decimal("5"))
    with pytest.raises(ValidationError):
        amend_record(record=record, by=by, reason="typo", title=record.title)
    with pytest.raises(ValidationError):
        amend_record(record=record, by=by, reason="typo", learner=by)
    assert not record.amendments.exists()


def test_revocation_keeps_the_record(framework):
    record = issue()
    admin = UserFactory()
    revoke_record(record=record, by=admin, reason="Attendance could not be confirmed")
    fresh = TrainingRecord.objects.get(pk=record.pk)
    assert fresh.status == RecordStatus.REVOKED
    assert fresh.revocation_reason == "Attendance could not be confirmed"
    with pytest.raises(ValidationError):
        revoke_record(record=record, by=admin, reason="again")
    with pytest.raises(ValidationError):
        amend_record(record=record, by=admin, reason="x", title="y")
    kinds = list(fresh.events.values_list("kind", flat=True))
    assert kinds == ["issued", "revoked"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_makes_one_record(framework):
    learner = UserFactory()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(issue(learner, source_key="race:1").pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert TrainingRecord.objects.filter(learner=learner, source_key="race:1").count() == 1


def test_issue_requires_keyword_arguments():
    with pytest.raises(TypeError):
        issue_completion_record(UserFactory.build(), "k")  # type: ignore[misc]
