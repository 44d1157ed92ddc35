"""Erasure requests without the demo world: the audit log's words, declining, phrases."""

import pytest
from django.core.exceptions import ValidationError

from lms.accounts.erasure import decline_erasure, process_erasure, request_erasure
from lms.accounts.forms import ErasureRequestForm
from lms.accounts.models import ErasureStatus, User
from lms.audit.models import AuditAction, AuditEvent
from lms.audit.services import record_event
from tests.factories import UserFactory


@pytest.fixture
def root(db):
    return User.objects.create_superuser(email="root@example.org", password="x" * 12)


def test_the_log_keeps_its_entries_and_loses_only_the_persons_words(root):
    kim = UserFactory(email="kim.lee@example.org", first_name="Kim", last_name="Lee")
    record_event(action=AuditAction.CONSENT_GRANTED, target=kim, actor=kim)
    record_event(action=AuditAction.STAFF_ADDED, target_repr="Kim Lee – staff at Leeward Center")
    unrelated = record_event(action=AuditAction.STAFF_ADDED, target_repr="Leeward Center")
    count = AuditEvent.objects.count()
    erasure = process_erasure(erasure_request=request_erasure(user=kim), processed_by=root)
    anonymous = erasure.anonymous_id
    assert AuditEvent.objects.count() == count + 2  # the request and the erasure
    texts = " ".join(AuditEvent.objects.values_list("target_repr", flat=True))
    texts += " ".join(AuditEvent.objects.values_list("actor_repr", flat=True))
    assert "Kim" not in texts and "kim.lee@" not in texts
    assert f"{anonymous} – staff at Leeward Center" in texts
    unrelated = AuditEvent.objects.get(pk=unrelated.pk)
    assert unrelated.target_repr == "Leeward Center"
    with pytest.raises(ValidationError):
        process_erasure(erasure_request=erasure, processed_by=root)


def test_declining_needs_a_reason_and_keeps_the_account(root):
    kim = UserFactory(first_name="Kim")
    erasure = request_erasure(user=kim)
    with pytest.raises(ValidationError):
        decline_erasure(erasure_request=erasure, processed_by=root, note=" ")
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.REQUESTED
    decline_erasure(erasure_request=erasure, processed_by=root, note="An appeal is open.")
    erasure.refresh_from_db()
    kim.refresh_from_db()
    assert erasure.status == ErasureStatus.DECLINED and kim.first_name == "Kim"
    assert AuditEvent.objects.filter(action=AuditAction.ERASURE_DECLINED).count() == 1


def test_people_without_a_password_confirm_with_the_phrase(db):
    kim = UserFactory()
    kim.set_unusable_password()
    form = ErasureRequestForm({"phrase": "erase"}, user=kim)
    assert not form.is_valid() and "phrase" in form.errors
    assert ErasureRequestForm({"phrase": "erase my data"}, user=kim).is_valid()
