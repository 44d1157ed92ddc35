"""The heartbeat endpoint and the watch → completion path, against a real database."""

import datetime
import json
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from courses.models import Enrollment, WatchProgress
from courses.services.enrollment import enroll
from courses.services.evaluation import submit_evaluation
from courses.services.heartbeat import ensure_progress, read_token, record_heartbeat, watch_token
from courses.watch import Beat
from lms.accounts.services import sign_out_everywhere
from lms.records.models import RecordEvent, TrainingRecord
from tests.courses.factories import site_path
from tests.courses.learning import recording, webinar
from tests.factories import UserFactory

HOST = {"HTTP_HOST": "great-lakes.localhost"}
URL = "/learning/heartbeat/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def attest(enrollment):
    """The learner's attestation: with no evaluation required, the last step is watching."""
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)


def watching(org, *, duration):
    """An attested learner enrolled in a webinar of ``org``, with the page's watch token."""
    rec = recording(org, duration=duration)
    page = webinar(org, rec, require_evaluation=False)
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=page)
    attest(enrollment)
    progress = ensure_progress(learner=learner, recording=rec)
    token = watch_token(progress=progress, enrollment=enrollment, coverage_percent=95)
    return {"page": page, "rec": rec, "learner": learner, "enrollment": enrollment,
            "progress": progress, "token": token}  # fmt: skip


@pytest.fixture
def setup(great_lakes):
    return watching(great_lakes, duration=120.0)


def post(client, token, session="tab-aaaaaaaa", seq=0, ranges=(), rate=1.0, **extra):
    body = {"token": token, "session": session, "seq": seq, "ranges": list(ranges), "rate": rate}
    body.update(extra)
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_page_hands_an_enrolled_learner_a_tracker(client, setup):
    client.force_login(setup["learner"])
    html = client.get(site_path(setup["page"]), **HOST).content.decode()
    assert "data-attune-watch" in html and str(setup["rec"].key) in html
    assert "courses/heartbeat.js" in html
    client.force_login(UserFactory())
    assert "data-attune-watch" not in client.get(site_path(setup["page"]), **HOST).content.decode()


def test_the_first_beat_makes_the_progress_row_the_page_only_read(client, great_lakes):
    rec = recording(great_lakes, duration=60.0)
    page = webinar(great_lakes, rec, require_evaluation=False)
    learner = UserFactory()
    enroll(learner=learner, training=page)
    client.force_login(learner)
    html = client.get(site_path(page), **HOST).content.decode()
    assert "data-attune-watch" in html and not WatchProgress.objects.exists()
    token = html.split('data-token="', 1)[1].split('"', 1)[0]
    first = post(client, token, seq=0, ranges=[(0, 0.5)])
    assert first.status_code == 200
    progress = WatchProgress.objects.get()
    assert (progress.learner, progress.recording, progress.duration) == (learner, rec, 60.0)
    # The first beat hands the player a token naming the row; later beats need no lookup.
    assert read_token(first.json()["token"])["p"] == progress.pk
    assert read_token(first.json()["token"])["l"] == learner.pk
    second = post(client, first.json()["token"], seq=1, ranges=[(0.5, 1.0)])
    assert second.status_code == 200 and "token" not in second.json()
    # Someone else holding the token cannot make a row for themselves with it.
    client.force_login(UserFactory())
    assert post(client, token, session="tab-bbbbbbbb").status_code == 403
    assert post(client, first.json()["token"], session="tab-bbbbbbbb").status_code == 403
    assert WatchProgress.objects.count() == 1


def test_a_beat_costs_at_most_three_queries(client, setup, django_assert_max_num_queries):
    client.force_login(setup["learner"])
    assert post(client, setup["token"], seq=0).status_code == 200
    with django_assert_max_num_queries(3):
        response = post(client, setup["token"], seq=1, ranges=[(0, 0.5)], position=0.5)
    assert response.status_code == 200
    assert response.json()["duplicate"] is False


def test_csrf_is_enforced(setup):
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["learner"])
    assert post(client, setup["token"]).status_code == 403
    client.get(site_path(setup["page"]), **HOST)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    body = json.dumps({"token": setup["token"], "session": "tab-aaaaaaaa", "seq": 0, "ranges": []})
    response = client.post(URL, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_refusals(client, setup):
    assert post(client, setup["token"]).status_code == 401
    client.force_login(UserFactory())
    assert post(client, setup["token"]).status_code == 403  # another learner's token
    client.force_login(setup["learner"])
    assert post(client, setup["token"][:-3] + "abc").status_code == 403
    assert post(client, setup["token"], session="x").status_code == 400
    response = client.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400
    assert client.get(URL).status_code == 405
    assert WatchProgress.objects.get().beats == 0


def test_a_session_from_before_a_password_change_is_refused(client, setup):
    client.force_login(setup["learner"])
    setup["learner"].set_password("a-new-password-9")
    setup["learner"].save()
    assert post(client, setup["token"]).status_code == 403


def test_a_learner_signed_out_everywhere_beats_again_once_signed_in(client, setup):
    """Signing out everywhere raises the session epoch: the old session is refused, the
    new one counts (the session check reads the epoch with the progress row)."""
    learner = setup["learner"]
    old = Client()
    old.force_login(learner)
    assert post(old, setup["token"], seq=0).status_code == 200
    sign_out_everywhere(user=learner)
    assert post(old, setup["token"], seq=1).status_code == 403
    learner.refresh_from_db()
    client.force_login(learner)
    assert post(client, setup["token"], seq=1, ranges=[(0, 1)]).status_code == 200
    # The first beat of a page, before the row exists, checks the same.
    page_token = watch_token(learner=learner, recording=setup["rec"], coverage_percent=95)
    assert post(client, page_token, seq=2, session="tab-cccccccc").status_code == 200


def test_rate_limited_per_user(client, setup, settings):
    settings.ATTUNE_HEARTBEAT_LIMIT = 3
    client.force_login(setup["learner"])
    codes = [post(client, setup["token"], seq=i).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_a_replayed_beat_is_idempotent(client, setup):
    client.force_login(setup["learner"])
    post(client, setup["token"], seq=0)
    progress = setup["progress"]
    WatchProgress.objects.filter(pk=progress.pk).update(
        last_beat_at=timezone.now() - datetime.timedelta(seconds=20)
    )
    first = post(client, setup["token"], seq=1, ranges=[(0, 10)]).json()
    again = post(client, setup["token"], seq=1, ranges=[(0, 10), (10, 20)]).json()
    assert first["watched"] == 10 and again == {**first, "credited": 0, "duplicate": True}
    assert WatchProgress.objects.get().beats == 2


def beat(setup, *, at, session="tab-aaaaaaaa", seq, ranges=(), rate=1.0):
    return record_heartbeat(
        session=SessionOf(setup["learner"]),
        token=read_token(setup["token"]),
        beat=Beat(session=session, seq=seq, ranges=tuple(ranges), rate=rate),
        now=at,
    )


class SessionOf(dict):
    """What Django keeps in a signed-in session, for calling the service directly."""

    def __init__(self, user):
        super().__init__(
            {"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash()}
        )


def test_honest_2x_viewing_completes_in_half_the_time_and_issues_once(setup):
    start = timezone.now()
    beat(setup, at=start, seq=0)
    t, position, seq = start, 0.0, 1
    while position < 120:
        t += datetime.timedelta(seconds=10)
        beat(setup, at=t, seq=seq, ranges=[(position, position + 20)], rate=2)
        position, seq = position + 20, seq + 1
    assert (t - start).total_seconds() == 60
    enrollment = Enrollment.objects.get(pk=setup["enrollment"].pk)
    assert enrollment.status == "completed"
    record = TrainingRecord.objects.get(learner=setup["learner"])
    # Credited hours are the training's contact hours, not the minutes watched.
    assert record.duration_hours == setup["page"].contact_hours
    assert enrollment.record_id == record.pk
    # More beats after completion issue nothing more.
    beat(setup, at=t + datetime.timedelta(seconds=10), seq=seq, ranges=[(0, 20)])
    assert TrainingRecord.objects.filter(learner=setup["learner"]).count() == 1
    evidence = WatchProgress.objects.get()
    assert evidence.ranges == [[0.0, 120.0]] and evidence.wall_seconds == 70
    assert evidence.first_beat_at == start and evidence.max_rate_claimed == 2


def test_forged_beats_never_complete(setup):
    start = timezone.now()
    beat(setup, at=start, seq=0)
    # Seek to the end, claim 16x, replay, ranges past the end: 20 s of wall time.
    beat(setup, at=start + datetime.timedelta(seconds=10), seq=1, ranges=[(0, 120)], rate=16)
    beat(setup, at=start + datetime.timedelta(seconds=10), seq=1, ranges=[(0, 120)])
    beat(setup, at=start + datetime.timedelta(seconds=20), seq=2, ranges=[(100, 500)])
    beat(setup, at=start + datetime.timedelta(seconds=20), seq=0, session="tab-bbbbbbbb",
         ranges=[(20, 120)])  # fmt: skip
    progress = WatchProgress.objects.get()
    assert progress.watched_seconds <= 20 * 2
    assert Enrollment.objects.get().status == "active"
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_completion_fires_once_when_two_tabs_send_the_final_beat_at_once(framework):
    from tests.conftest import ensure_default_site
    from tests.courses.factories import association

    ensure_default_site()
    watcher = watching(association("great-lakes"), duration=40.0)
    learner, enrollment = watcher["learner"], watcher["enrollment"]
    token = read_token(watcher["token"])
    start = timezone.now() - datetime.timedelta(seconds=30)
    session = SessionOf(learner)
    for tab in ("tab-aaaaaaaa", "tab-bbbbbbbb"):
        record_heartbeat(session=session, token=token, beat=Beat(tab, 0, ()), now=start)
    record_heartbeat(
        session=session, token=token, beat=Beat("tab-aaaaaaaa", 1, ((0, 20),)),
        now=start + datetime.timedelta(seconds=10),
    )  # fmt: skip

    barrier = threading.Barrier(2)
    errors = []

    def final(tab):
        try:
            barrier.wait(timeout=10)
            record_heartbeat(session=session, token=token, beat=Beat(tab, 2, ((20, 40),)))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=final, args=(tab,)) for tab in ("tab-aaaaaaaa", "tab-bbbbbbbb")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert TrainingRecord.objects.filter(learner=learner).count() == 1
    record = TrainingRecord.objects.get(learner=learner)
    assert RecordEvent.objects.filter(record=record, kind="issued").count() == 1
    assert Enrollment.objects.get(pk=enrollment.pk).status == "completed"
