import pytest

from lms.celery import app, ping

pytestmark = pytest.mark.worker


def test_queues_and_delivery_guarantees_are_configured():
    assert {q.name for q in app.conf.task_queues} == {"default", "transcode"}
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_reject_on_worker_lost is True


def test_round_trip_through_the_real_broker_and_worker(celery_worker):
    result = ping.apply_async(args=[{"hello": "attune"}])
    assert result.get(timeout=30) == {"hello": "attune"}
    assert "lms.ping" in celery_worker.log()
