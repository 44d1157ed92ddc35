"""xAPI statements against Ralph, a real LRS on loopback: a learner watching, passing and
completing yields statements that arrive once each and validate with Ralph's own models;
after consent is withdrawn none more arrive; an LRS that is down delays no request and gets
its statements once it is back."""

import time
import uuid
from collections import Counter

import pytest
from ralph.models.selector import ModelSelector
from ralph.models.validator import Validator
from ralph.models.xapi.base.statements import BaseXapiStatement

from courses.models import Enrollment
from lms.accounts.services import grant_consent, revoke_consent
from lms.integrations.xapi import services
from lms.integrations.xapi.models import StatementStatus, XapiStatement
from lms.integrations.xapi.tasks import send_statements
from lms.records.models import TrainingRecord
from tests.conftest import WorkerProcess, purge_queues

from .world import SCOPE, Learner, deliver_all, of, store_for


@pytest.fixture(autouse=True)
def loopback(settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True
    settings.ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = 0  # a failed batch is due again at once
    # Each test its own installation: ids and pseudonyms never meet those of another test
    # in the session's Ralph, though the database gives out the same primary keys again.
    settings.ATTUNE_XAPI_NAMESPACE = str(uuid.uuid4())


VIDEO_MODELS = {"played": "VideoPlayed", "paused": "VideoPaused", "seeked": "VideoSeeked"}


def test_watching_passing_and_completing_arrive_once_each_and_validate(great_lakes, ralph):
    store = store_for(great_lakes, ralph)
    learner = Learner(great_lakes)
    learner.pass_post_test()
    learner.watch_everything()
    assert Enrollment.objects.get(pk=learner.enrollment.pk).status == "completed"
    assert TrainingRecord.objects.filter(learner=learner.user).count() == 1

    deliver_all(store)
    arrived = of(ralph, learner)
    verbs = Counter(s["verb"]["display"]["en-US"] for s in arrived)
    assert verbs == {
        "attempted": 1, "passed": 1, "played": 2, "paused": 2, "seeked": 1, "completed": 2
    }  # fmt: skip
    assert len({s["id"] for s in arrived}) == len(arrived) == 9
    assert XapiStatement.objects.filter(status=StatementStatus.SUCCEEDED).count() == 9

    video = Validator(ModelSelector(module="ralph.models.xapi"))
    for statement in arrived:
        BaseXapiStatement(**statement)  # every statement is valid xAPI
        verb = statement["verb"]["display"]["en-US"]
        if statement["object"]["definition"]["type"].endswith("/video"):
            name = "VideoCompleted" if verb == "completed" else VIDEO_MODELS[verb]
            assert type(video.get_first_valid_model(statement)).__name__ == name
    # The learner is a pseudonym on the association's site; the e-mail never leaves.
    assert all("mbox" not in s["actor"] for s in arrived)
    assert learner.user.email not in str(arrived)
    by_verb = {s["verb"]["display"]["en-US"]: s for s in arrived}
    seeked = by_verb["seeked"]["result"]["extensions"]
    assert seeked == {
        "https://w3id.org/xapi/video/extensions/time-from": 30.0,
        "https://w3id.org/xapi/video/extensions/time-to": 15.0,
    }
    passed = by_verb["passed"]["result"]
    assert passed["success"] is True and passed["score"]["scaled"] == 1.0
    assert passed["score"]["raw"] == passed["score"]["max"] > 0
    # Watching and the post-test name the training as parent and the enrollment as
    # registration.
    training_id = by_verb["played"]["context"]["contextActivities"]["parent"][0]["id"]
    assert by_verb["passed"]["context"]["contextActivities"]["parent"][0]["id"] == training_id
    registrations = {
        s["context"].get("registration")
        for s in arrived
        if s["verb"]["display"]["en-US"] != "completed"
    }
    assert len(registrations) == 1 and None not in registrations
    video_completed = next(
        s
        for s in arrived
        if s["verb"]["display"]["en-US"] == "completed"
        and "/video" in s["object"]["definition"]["type"]
    )
    extensions = video_completed["result"]["extensions"]
    # Completed when the training's coverage (95 %) was reached, with what was credited.
    assert extensions["https://w3id.org/xapi/video/extensions/progress"] == 0.958
    assert extensions["https://w3id.org/xapi/video/extensions/played-segments"] == "0.0[.]115.0"

    # Sending again, or the same events again, adds nothing: the ids come from the events.
    XapiStatement.objects.update(status=StatementStatus.PENDING, next_attempt_at=store.created_at)
    deliver_all(store)
    assert len(of(ralph, learner)) == 9


def test_after_consent_is_withdrawn_nothing_more_arrives(great_lakes, ralph):
    store = store_for(great_lakes, ralph)
    learner = Learner(great_lakes)
    learner.beat(event="play", position=0)
    deliver_all(store)
    assert len(of(ralph, learner)) == 1

    learner.beat([(0, 10)], event="pause", position=10)
    queued = XapiStatement.objects.get(status=StatementStatus.PENDING)
    revoke_consent(user=learner.user, organization=great_lakes, scope=SCOPE)
    queued.refresh_from_db()
    assert queued.status == StatementStatus.CANCELLED  # dropped at once, never sent
    learner.beat(event="play", position=10)
    learner.pass_post_test()
    assert not XapiStatement.objects.filter(status=StatementStatus.PENDING).exists()
    deliver_all(store)
    assert len(of(ralph, learner)) == 1

    # A learner who never shared sends nothing, though the store is on.
    other = Learner(great_lakes, share=False)
    other.beat(event="play", position=0)
    other.pass_post_test()
    assert not XapiStatement.objects.filter(learner=other.user).exists()


def test_a_store_that_is_down_delays_nothing_and_gets_its_statements_when_back(
    great_lakes, ralph, client
):
    store = store_for(great_lakes, ralph)
    learner = Learner(great_lakes)
    client.force_login(learner.user)
    ralph.stop()
    try:
        # The learner's own requests succeed and never call the LRS: each only queues.
        for seq, event in enumerate(["play", "pause", "play"]):
            response = client.post(
                "/learning/heartbeat/",
                {"token": learner.token, "session": "tab-bbbbbbbb", "seq": seq,
                 "ranges": [], "position": 0, "event": event},
                content_type="application/json",
            )  # fmt: skip
            assert response.status_code == 200
        waiting = XapiStatement.objects.filter(store=store)
        assert waiting.count() == 3 and {s.attempts for s in waiting} == {0}

        # The worker tries, fails, and keeps them for later.
        outcome = send_statements.run(store.pk)
        assert outcome == {"sent": 0, "refused": 0, "waiting": 3}
        assert {s.status for s in waiting.all()} == {StatementStatus.PENDING}
        store.refresh_from_db()
        assert "Connection refused" in store.last_error
    finally:
        ralph.start()
    deliver_all(store)
    arrived = of(ralph, learner)
    assert Counter(s["verb"]["display"]["en-US"] for s in arrived) == {"played": 2, "paused": 1}
    assert {s.status for s in XapiStatement.objects.filter(store=store)} == {
        StatementStatus.SUCCEEDED
    }


def test_only_the_association_offering_the_training_hears_of_it(great_lakes, prairie, ralph):
    great_lakes_store = store_for(great_lakes, ralph)
    learner = Learner(prairie)  # prairie's training; prairie has no store
    grant_consent(user=learner.user, organization=great_lakes, scope=SCOPE)
    learner.beat(event="play", position=0)
    learner.pass_post_test()
    assert not XapiStatement.objects.exists()

    # Switching a store off drops what it had not sent.
    other = Learner(great_lakes)
    other.beat(event="play", position=0)
    services.save_store(
        association=great_lakes,
        by=great_lakes_store.updated_by,
        endpoint=great_lakes_store.endpoint,
        key=great_lakes_store.key,
        is_active=False,
    )
    assert XapiStatement.objects.get().status == StatementStatus.CANCELLED
    other.beat(event="pause", position=0)
    assert XapiStatement.objects.count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_what_a_learner_does_once_it_commits(
    default_site, great_lakes, ralph, monkeypatch, settings
):
    """The whole path with the worker the deployment runs: the learner's request queues the
    statements after commit, a real Celery worker sends them to Ralph, each arrives once."""
    namespace = settings.ATTUNE_XAPI_NAMESPACE
    monkeypatch.setenv("ATTUNE_WEBHOOK_ALLOW_LOOPBACK", "1")
    monkeypatch.setenv("ATTUNE_XAPI_NAMESPACE", namespace)
    purge_queues()
    worker = WorkerProcess(name="attune-xapi").start()
    try:
        worker.wait_ready()
        store_for(great_lakes, ralph)
        learner = Learner(great_lakes)
        learner.beat(event="play", position=0)
        learner.beat([(0, 10)], event="pause", position=10)
        learner.pass_post_test()

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and XapiStatement.objects.exclude(
            status=StatementStatus.SUCCEEDED
        ):
            time.sleep(0.5)
        statuses = Counter(XapiStatement.objects.values_list("status", flat=True))
        assert set(statuses) == {StatementStatus.SUCCEEDED}, (statuses, worker.log()[-3000:])
        arrived = of(ralph, learner)
        assert len(arrived) == len({s["id"] for s in arrived}) == sum(statuses.values())
        assert {"played", "paused"} <= {s["verb"]["display"]["en-US"] for s in arrived}
    finally:
        worker.stop()
