"""A learner of great-lakes in a webinar with a post-test, who shares their learning
activity, and the association's store pointing at Ralph."""

import datetime
import itertools

from django.utils import timezone

from courses.services.enrollment import enroll
from courses.services.evaluation import submit_evaluation
from courses.services.heartbeat import ensure_progress, read_token, record_heartbeat, watch_token
from courses.services.quizzes import start_attempt, submit_attempt
from courses.watch import Beat
from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent
from lms.integrations.xapi import services, statements
from lms.integrations.xapi.models import StatementStatus, XapiStatement
from lms.integrations.xapi.tasks import send_statements
from tests.courses.learning import correct_answers, quiz, recording, webinar
from tests.factories import UserFactory
from tests.lms.endorsement.applying import admin_of

from .ralph import PASSWORD, USERNAME

SCOPE = ConsentScope.LEARNING_ACTIVITY
_numbers = itertools.count(1)


def store_for(association, ralph, **fields):
    return services.save_store(
        association=association,
        by=admin_of(association),
        endpoint=ralph.endpoint,
        key=USERNAME,
        secret=PASSWORD,
        is_active=True,
        **fields,
    )


class SessionOf(dict):
    """What Django keeps in a signed-in session, for calling the heartbeat service."""

    def __init__(self, user):
        super().__init__(
            {"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash()}
        )


class Learner:
    """An enrolled, attested learner who shares learning activity with ``association``."""

    def __init__(self, association, *, duration=120.0, share=True):
        self.association = association
        n = next(_numbers)
        self.recording = recording(association, duration=duration)
        self.quiz = quiz(association, slug=f"cues-post-test-{n}")
        self.page = webinar(
            association,
            self.recording,
            title=f"Reading a baby's cues {n}",
            quiz_slug=self.quiz.slug,
            require_evaluation=False,
        )
        self.user = UserFactory()
        if share:
            grant_consent(user=self.user, organization=association, scope=SCOPE)
        self.enrollment = enroll(learner=self.user, training=self.page)
        submit_evaluation(enrollment=self.enrollment, survey=None, answers={}, attested=True)
        progress = ensure_progress(learner=self.user, recording=self.recording)
        self.token = watch_token(progress=progress, enrollment=self.enrollment, coverage_percent=95)
        self.at = timezone.now()
        self.seq = 0

    @property
    def actor_name(self) -> str:
        return statements.pseudonym(association_id=self.association.pk, learner_id=self.user.pk)

    def beat(self, ranges=(), *, event="", position=None, step=10):
        self.at += datetime.timedelta(seconds=step)
        outcome = record_heartbeat(
            session=SessionOf(self.user),
            token=read_token(self.token),
            beat=Beat(
                session="tab-aaaaaaaa",
                seq=self.seq,
                ranges=tuple(ranges),
                position=position,
                event=event,
            ),
            now=self.at,
        )
        self.seq += 1
        return outcome

    def pass_post_test(self):
        attempt = start_attempt(quiz=self.quiz, learner=self.user, training=self.page)
        return submit_attempt(attempt=attempt, answers=correct_answers(self.quiz))

    def watch_everything(self):
        """Play, pause, play again, seek back, and watch to the end."""
        self.beat(event="play", position=0)
        self.beat([(0, 10)], event="pause", position=10)
        self.beat(event="play", position=10)
        self.beat([(10, 20)], position=20)
        self.beat([(20, 30)], event="seeking", position=15)
        for start in range(15, 120, 10):
            self.beat([(start, min(start + 10, 120))], position=min(start + 10, 120))
        self.beat(event="ended", position=120)


def deliver_all(store, *, rounds=10):
    """Run the sending task (its body, in this process) until nothing due is left."""
    for _ in range(rounds):
        if not XapiStatement.objects.filter(store=store, status=StatementStatus.PENDING):
            return
        send_statements.run(store.pk)


def of(ralph, learner):
    return [
        s
        for s in ralph.statements()
        if s["actor"].get("account", {}).get("name") == learner.actor_name
    ]
