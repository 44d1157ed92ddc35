import pytest

from demo.records import load_demo_records
from lms.records.models import RecordEvent, TrainingRecord
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_records_load_once(framework, django_capture_on_commit_callbacks):
    assert load_demo_records() == 0  # nothing to attach them to yet
    learner = UserFactory(email="learner@attune.example")
    OrganizationFactory(slug="great-lakes")
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo_records() == 4
    events = RecordEvent.objects.count()
    assert load_demo_records() == 4
    assert RecordEvent.objects.count() == events
    kinds = {r.kind_label for r in TrainingRecord.objects.filter(learner=learner)}
    assert kinds == {"Live attendance", "Platform completion", "External training", "RSC session"}
