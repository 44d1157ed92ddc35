"""Names and Role Provisioning against a real platform: an instructor pulls the course's
roster into its private cohort; members get accounts linked by the platform's user id and
learners are enrolled in the course's placed trainings; pulling again changes nothing twice;
learners cannot pull or read it."""

import pytest
from lti_tool.models import LtiUser

from courses.models import Enrollment
from interop.lti.models import RosterMember, RosterPull

from .platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db

ROSTER = "/lti/roster/"


def member(user_id, name, roles, **extra):
    return {"user_id": user_id, "name": name, "roles": roles, "status": "Active", **extra}


@pytest.fixture
def course_members(lti_platform):
    lti_platform.members = [
        member("teacher-1", "Tess Teacher", [INSTRUCTOR]),
        member("learner-1", "Ana Learner", [LEARNER], email="ana@example.org"),
        member("learner-2", "Ben Learner", [LEARNER]),
    ]
    return lti_platform.members


def _as_instructor(platform, client, target):
    answer = platform.launch(client, user_id="teacher-1", roles=[INSTRUCTOR], custom=target)
    assert answer.status_code == 302, answer.content[:500]


def test_an_instructor_pulls_the_roster_into_the_course_cohort(
    lti_platform,
    lti_connection,
    lti_client,
    lti_course,
    lti_target,
    trust_attune_keys,
    course_members,
):
    trust_attune_keys(lti_client)
    # Ana launched the course before: the roster finds her account by her platform id.
    lti_platform.launch(lti_client, user_id="learner-1", custom=lti_target)
    ana = LtiUser.objects.get(sub="learner-1").auth_user
    lti_client.logout()
    _as_instructor(lti_platform, lti_client, lti_target)

    empty = lti_client.get(ROSTER)
    assert empty.status_code == 200
    assert "Pull the roster" in empty.content.decode()

    pulled = lti_client.post(ROSTER)
    assert pulled.status_code == 302
    assert RosterMember.objects.count() == 3
    ben = LtiUser.objects.get(registration=lti_connection.registration, sub="learner-2").auth_user
    assert ben is not None and ben != ana
    assert LtiUser.objects.get(sub="learner-1").auth_user == ana
    # Unverified e-mail: a placeholder address, never a match by e-mail.
    assert ben.email.endswith("@lti.invalid")
    for learner in (ana, ben):
        assert Enrollment.objects.filter(learner=learner, training=lti_course).count() == 1

    page = lti_client.get(ROSTER).content.decode()
    assert "Ana Learner" in page and "Ben Learner" in page and "Tess Teacher" in page
    assert lti_course.title in page

    # Pulling again is idempotent; a member the platform dropped is kept, inactive.
    lti_platform.members = course_members[:2]
    assert lti_client.post(ROSTER).status_code == 302
    assert RosterMember.objects.count() == 3
    assert RosterMember.objects.get(sub="learner-2").is_active is False
    assert Enrollment.objects.filter(learner=ben, training=lti_course).count() == 1
    assert LtiUser.objects.filter(sub="learner-2").count() == 1


def test_a_platform_that_does_not_answer_leaves_the_cohort_as_it_was(
    lti_platform, lti_connection, lti_client, lti_target, trust_attune_keys, course_members
):
    trust_attune_keys(lti_client)
    _as_instructor(lti_platform, lti_client, lti_target)
    lti_platform.stop()
    answer = lti_client.post(ROSTER, follow=True)
    assert answer.status_code == 200
    assert "did not answer" in answer.content.decode()
    assert not RosterMember.objects.exists()


def test_a_learner_cannot_pull_or_read_the_roster(
    lti_platform, lti_connection, lti_client, lti_target, course_members
):
    answer = lti_platform.launch(lti_client, user_id="learner-1", custom=lti_target)
    assert answer.status_code == 302
    assert lti_client.get(ROSTER).status_code == 403
    assert lti_client.post(ROSTER).status_code == 403
    assert not RosterMember.objects.exists()


def test_the_associations_admin_pulls_a_course_roster_from_the_admin(
    great_lakes,
    prairie,
    lti_platform,
    lti_connection,
    lti_client,
    lti_course,
    lti_target,
    trust_attune_keys,
    course_members,
    client,
    django_capture_on_commit_callbacks,
):
    """The pull is queued for a worker once the request commits; the screen says it is under
    way, refuses a second one meanwhile (a double click), then shows the result."""
    from interop.lti import tasks
    from lms.organizations.models import Role
    from tests.courses.factories import member

    trust_attune_keys(lti_client)
    lti_platform.launch(lti_client, user_id="learner-1", custom=lti_target)
    context = RosterMember._meta.get_field("context").related_model.objects.get()
    url = f"/admin/lti/{lti_connection.pk}/courses/"

    client.force_login(member(prairie, role=Role.ADMIN))
    with django_capture_on_commit_callbacks() as queued:
        assert client.get(url).status_code == 404
        assert client.post(url, {"context": context.pk}).status_code == 404
    assert queued == []
    assert not RosterPull.objects.exists()

    client.force_login(member(great_lakes, role=Role.ADMIN))
    listing = client.get(url)
    assert listing.status_code == 200
    assert "Infant mental health 101" in listing.content.decode()
    assert "Never" in listing.content.decode()
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(url, {"context": "nope"}).status_code == 302
    assert queued == [] and not RosterPull.objects.exists()

    with django_capture_on_commit_callbacks() as queued:
        first = client.post(url, {"context": context.pk}, follow=True)
        second = client.post(url, {"context": context.pk}, follow=True)
    # Nothing is pulled in the request: one pull is queued, the second click is refused.
    assert len(queued) == 1
    assert not RosterMember.objects.exists()
    assert "Pulling the roster…" in first.content.decode()
    assert "already being pulled" in second.content.decode()
    page = client.get(url).content.decode()
    assert "Pulling the roster…" in page and "Pull the roster of" not in page

    # The worker's side (the task the callback queues), run twice as a redelivery would.
    assert tasks.sync_roster(context.pk) == "done"
    assert tasks.sync_roster(context.pk) == "done"
    assert RosterMember.objects.filter(context=context).count() == 3
    ben = LtiUser.objects.get(sub="learner-2").auth_user
    assert Enrollment.objects.filter(learner=ben, training=lti_course).count() == 1
    page = client.get(url).content.decode()
    assert "3 members, 2 learners." in page
    assert "Pull the roster of" in page and "Pulling the roster…" not in page

    # A platform that is down: the screen says so, and the next pull may be asked for.
    lti_platform.stop()
    with django_capture_on_commit_callbacks() as queued:
        client.post(url, {"context": context.pk})
    assert len(queued) == 1
    assert tasks.sync_roster(context.pk) == "failed"
    page = client.get(url).content.decode()
    assert "not pulled. The platform did not answer." in page
    assert "Pull the roster of" in page


def test_a_pull_whose_worker_vanished_can_be_asked_for_again(
    lti_platform, lti_connection, lti_client, lti_target
):
    from datetime import timedelta

    from django.utils import timezone

    from interop.lti.services import roster_pulls

    lti_platform.launch(lti_client, user_id="learner-1", custom=lti_target)
    context = RosterMember._meta.get_field("context").related_model.objects.get()
    assert roster_pulls.claim(context=context) is True
    assert roster_pulls.claim(context=context) is False
    RosterPull.objects.update(requested_at=timezone.now() - timedelta(hours=1))
    assert roster_pulls.claim(context=context) is True


@pytest.mark.django_db(transaction=True)
def test_the_admins_pull_runs_on_a_real_worker(
    default_site,
    great_lakes,
    lti_platform,
    lti_connection,
    lti_client,
    lti_course,
    lti_target,
    trust_attune_keys,
    course_members,
    client,
    celery_worker,
):
    import time

    from lms.organizations.models import Role
    from tests.courses.factories import member

    trust_attune_keys(lti_client)
    lti_platform.launch(lti_client, user_id="learner-1", custom=lti_target)
    context = RosterMember._meta.get_field("context").related_model.objects.get()
    url = f"/admin/lti/{lti_connection.pk}/courses/"
    client.force_login(member(great_lakes, role=Role.ADMIN))
    assert client.post(url, {"context": context.pk}).status_code == 302
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pull = RosterPull.objects.get(context=context)
        if pull.status != "pulling":
            break
        time.sleep(0.5)
    assert pull.status == "done", celery_worker.log()[-3000:]
    assert RosterMember.objects.filter(context=context).count() == 3
    assert "3 members, 2 learners." in client.get(url).content.decode()


def test_the_roster_page_reads_a_large_course_in_a_few_queries(
    lti_platform,
    lti_connection,
    lti_client,
    lti_course,
    lti_target,
    trust_attune_keys,
    django_assert_max_num_queries,
):
    trust_attune_keys(lti_client)
    lti_platform.members = [
        member(f"learner-{n}", f"Learner {n:02d}", [LEARNER]) for n in range(60)
    ] + [member("teacher-1", "Tess Teacher", [INSTRUCTOR])]
    _as_instructor(lti_platform, lti_client, lti_target)
    assert lti_client.post(ROSTER).status_code == 302
    assert Enrollment.objects.filter(training=lti_course).count() >= 60
    with django_assert_max_num_queries(20):
        page = lti_client.get(ROSTER)
    assert page.content.decode().count(lti_course.title) >= 60


def test_an_instructors_pull_waits_for_the_one_under_way(
    lti_platform, lti_connection, lti_client, lti_target, trust_attune_keys, course_members
):
    from interop.lti.services import roster_pulls

    trust_attune_keys(lti_client)
    _as_instructor(lti_platform, lti_client, lti_target)
    context = RosterMember._meta.get_field("context").related_model.objects.get()
    assert roster_pulls.claim(context=context) is True  # an admin's pull, queued
    answer = lti_client.post(ROSTER, follow=True)
    assert answer.status_code == 200
    assert "already being pulled" in answer.content.decode()
    assert not RosterMember.objects.exists()
    # Once it is done, the instructor's pull runs in the request and says what it did.
    roster_pulls.run(context_id=context.pk)
    again = lti_client.post(ROSTER, follow=True).content.decode()
    assert "Roster updated: 3 members, 2 learners." in again
