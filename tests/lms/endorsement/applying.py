"""Helpers for application tests: small rule sets, a learner ready to submit, raters who
answer through their real links, reviewers of an association."""

import datetime
import re
from decimal import Decimal

from django.core import mail
from django.test import TestCase

from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import RaterRelationship, RatingScale
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.applications import start_application
from lms.endorsement.services.checklist import tick_checklist_item
from lms.endorsement.services.references import name_rater, submit_reference
from lms.organizations.models import Role
from lms.organizations.services import add_member
from tests.factories import UserFactory
from tests.lms.endorsement.factories import requirement_set
from tests.lms.records.factories import issue

RULES = [
    {"kind": "training_hours", "min_hours": 3},
    {"kind": "checklist", "checklist_item": "code_of_ethics"},
    {"kind": "checklist", "checklist_item": "references"},
]


def small_rules(association, category="IFS", *, initial_rules=RULES, **options):
    """Initial rules (3 training hours, Code of Ethics, references) and calendar-year
    renewal rules due 31 December."""
    options.setdefault("raters_required", 3)
    initial = requirement_set(association, category, kind="initial", rules=initial_rules, **options)
    renewal = requirement_set(
        association,
        category,
        kind="renewal",
        window_kind="calendar",
        due_month=12,
        due_day=31,
        raters_required=0,
        rules=[{"kind": "training_hours", "min_hours": 1}],
    )
    return initial, renewal


def reviewer_of(association, **kwargs):
    user = UserFactory(**kwargs)
    add_member(organization=association, user=user, role=Role.REVIEWER)
    return user


def admin_of(association, **kwargs):
    user = UserFactory(**kwargs)
    add_member(organization=association, user=user, role=Role.ADMIN)
    return user


def sent_at_once():
    """Run the e-mails (and other work) deferred to commit at once: test transactions never
    commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def link_token(email: str) -> str:
    """The token in the last reference e-mail sent to ``email``."""
    message = [m for m in mail.outbox if email in m.to][-1]
    return re.search(r"/references/([^/\s]+)/", message.body).group(1)


def name_raters(application, count=3, *, supervisor_first=False):
    raters = []
    for i in range(count):
        user = UserFactory()
        relationship = (
            RaterRelationship.CURRENT_SUPERVISOR
            if supervisor_first and i == 0
            else RaterRelationship.COLLEAGUE
        )
        with sent_at_once():
            name_rater(
                application=application,
                learner=application.learner,
                name=user.get_full_name(),
                email=user.email,
                relationship=relationship,
            )
        raters.append(user)
    return raters


def rate(application, rater, *, not_enough=0):
    areas = category_areas(category=application.category)
    ratings = {
        a.code: RatingScale.NOT_ENOUGH_INFORMATION if i < not_enough else RatingScale.CONSISTENT
        for i, a in enumerate(areas)
    }
    with sent_at_once():
        return submit_reference(
            token=link_token(rater.email), user=rater, ratings=ratings, comment="Strong practice."
        )


def ready_application(association, learner=None, *, category="IFS", hours="3.50", raters=3):
    """A draft with enough training, the Code of Ethics ticked and raters named."""
    learner = learner or UserFactory()
    issue(learner, duration_hours=Decimal(hours), area_hours={"TF": Decimal(hours)})
    tick_checklist_item(
        learner=learner,
        association=association,
        item="code_of_ethics",
        completed_on=datetime.date(2024, 1, 10),
    )
    application = start_application(
        learner=learner,
        association=association,
        category=EndorsementCategory.objects.get(code=category),
        kind="initial",
    )
    rater_users = name_raters(application, raters)
    return application, rater_users


def text(response) -> str:
    """A page's words, without tags or runs of white space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
