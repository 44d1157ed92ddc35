"""Renewals with the renewal rules from the current cycle's records, reminder e-mails sent once
per endorsement, cycle and offset, and the public registry and verification."""

import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from lms.accounts.services import update_profile
from lms.celery import app as celery_app
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import (
    ApplicationStatus,
    Endorsement,
    EndorsementSource,
    RenewalReminder,
)
from lms.endorsement.selectors.applications import application_draft
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.applications import start_application, submit_application
from lms.endorsement.services.portfolio import record_held_endorsement
from lms.endorsement.services.renewals import send_renewal_reminders
from lms.endorsement.services.review import decide_application, record_review
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import reviewer_of, sent_at_once, text
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db


def granted(association, learner=None, *, endorsed_on, renewal_due, listed=False):
    return Endorsement.objects.create(
        learner=learner or UserFactory(),
        association=association,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=endorsed_on,
        renewal_due=renewal_due,
        source=EndorsementSource.APPLICATION,
        listed_in_registry=listed,
    )


def test_renewal_is_prefilled_from_the_current_cycle_and_approval_moves_the_due_date(lakes):
    today = timezone.localdate()
    this_year = datetime.date(today.year, 1, 2)
    learner = UserFactory()
    endorsement = granted(
        lakes,
        learner,
        endorsed_on=datetime.date(today.year - 2, 5, 1),
        renewal_due=datetime.date(today.year, 12, 31),
    )
    issue(learner, title="Last year's webinar", completed_on=datetime.date(today.year - 1, 6, 1))
    issue(learner, title="This cycle's webinar", completed_on=min(this_year, today))
    renewal = start_application(
        learner=learner, association=lakes, category=endorsement.category, kind="renewal"
    )
    assert renewal.endorsement == endorsement
    draft = application_draft(application=renewal)
    assert [e.facts.title for e in draft.training] == ["This cycle's webinar"]
    assert draft.evaluation.cycle.due_on == datetime.date(today.year, 12, 31)
    assert draft.open_items == ([], [])

    reviewer_of(lakes), reviewer_of(lakes)
    with sent_at_once():
        submit_application(application=renewal, learner=learner)
    renewal.refresh_from_db()
    for assignment in renewal.assignments.all():
        record_review(
            application=renewal,
            reviewer=assignment.reviewer,
            marks={a.code: ("met", "") for a in category_areas(category=renewal.category)},
            recommendation="approve",
        )
    with sent_at_once():
        decide_application(
            application=renewal, by=renewal.assignments.first().reviewer, outcome="approve"
        )
    endorsement.refresh_from_db()
    assert endorsement.renewal_due == datetime.date(today.year + 1, 12, 31)
    assert endorsement.endorsed_on == datetime.date(today.year - 2, 5, 1)
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.APPROVED


def test_reminders_are_sent_once_per_endorsement_cycle_and_offset(lakes, settings):
    settings.ATTUNE_RENEWAL_REMINDER_DAYS = [60, 14]
    today = datetime.date(2026, 11, 1)
    soon = granted(
        lakes, endorsed_on=datetime.date(2024, 1, 1), renewal_due=datetime.date(2026, 12, 20)
    )
    later = granted(
        lakes, endorsed_on=datetime.date(2024, 1, 1), renewal_due=datetime.date(2027, 6, 1)
    )
    assert send_renewal_reminders(today=today) == 1
    assert send_renewal_reminders(today=today) == 0
    (message,) = mail.outbox
    assert message.to == [soon.learner.email]
    assert "due for renewal by Dec. 20, 2026" in message.subject
    assert "/applications/" in message.body
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [60]

    # Two weeks before: the 14-day reminder, once.
    assert send_renewal_reminders(today=datetime.date(2026, 12, 8)) == 1
    assert send_renewal_reminders(today=datetime.date(2026, 12, 9)) == 0
    assert len(mail.outbox) == 2 and later.reminders.count() == 0


def test_a_run_that_finds_both_offsets_passed_sends_only_the_nearest(lakes, settings):
    settings.ATTUNE_RENEWAL_REMINDER_DAYS = [60, 14]
    endorsement = granted(
        lakes, endorsed_on=datetime.date(2024, 1, 1), renewal_due=datetime.date(2026, 12, 20)
    )
    assert send_renewal_reminders(today=datetime.date(2026, 12, 10)) == 1
    assert send_renewal_reminders(today=datetime.date(2026, 12, 11)) == 0
    assert list(endorsement.reminders.values_list("days_before", flat=True)) == [14]


def test_no_reminder_once_the_renewal_is_submitted(lakes):
    learner = UserFactory()
    today = timezone.localdate()
    endorsement = granted(
        lakes,
        learner,
        endorsed_on=today - datetime.timedelta(days=800),
        renewal_due=today + datetime.timedelta(days=5),
    )
    issue(learner, completed_on=today)
    renewal = start_application(
        learner=learner, association=lakes, category=endorsement.category, kind="renewal"
    )
    with sent_at_once():
        submit_application(application=renewal, learner=learner)
    assert send_renewal_reminders(today=today) == 0


def test_the_reminder_task_is_scheduled_on_celery_beat():
    schedule = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert {
        "lms.endorsement.tasks.send_renewal_reminders",
        "lms.integrations.tasks.retry_due_webhooks",
    } <= schedule
    celery_app.loader.import_default_modules()
    assert "lms.endorsement.tasks.send_renewal_reminders" in celery_app.tasks


def test_self_reported_endorsements_get_the_current_cycles_due_date(lakes):
    learner = UserFactory()
    held = record_held_endorsement(
        learner=learner,
        association=lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(2015, 3, 1),
    )
    today = timezone.localdate()
    assert held.renewal_due == datetime.date(today.year, 12, 31)
    assert held.source == EndorsementSource.SELF_REPORTED


def test_registry_lists_opted_in_current_endorsements_only(
    client, lakes, django_assert_max_num_queries
):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=90)
    listed = granted(
        lakes,
        UserFactory(first_name="Ada", last_name="Listed"),
        endorsed_on=today,
        renewal_due=due,
        listed=True,
    )
    granted(
        lakes,
        UserFactory(first_name="Quinn", last_name="Private"),
        endorsed_on=today,
        renewal_due=due,
    )
    granted(
        lakes,
        UserFactory(first_name="Lee", last_name="Lapsed"),
        endorsed_on=today - datetime.timedelta(days=800),
        renewal_due=today - datetime.timedelta(days=1),
        listed=True,
    )
    other = OrganizationFactory(slug="prairie")
    granted(
        other,
        UserFactory(first_name="Pat", last_name="Prairie"),
        endorsed_on=today,
        renewal_due=due,
        listed=True,
    )
    url = reverse("endorsement:registry", args=["lakes"])
    client.get(url)
    with django_assert_max_num_queries(3) as few:
        page = text(client.get(url))
    assert "Ada Listed" in page and date_format(due) in page and "(IFS)" in page
    for hidden in ("Quinn Private", "Lee Lapsed", "Pat Prairie", listed.learner.email):
        assert hidden not in page
    for i in range(5):
        granted(
            lakes,
            UserFactory(last_name=f"More{i}"),
            endorsed_on=today,
            renewal_due=due,
            listed=True,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "More4" in text(client.get(url))
    assert client.get(reverse("endorsement:registry", args=["nowhere"])).status_code == 404


def test_holder_opts_in_and_the_endorsement_verifies_by_a_random_id(client, lakes):
    today = timezone.localdate()
    learner = UserFactory(first_name="Ada", last_name="Holder")
    endorsement = granted(
        lakes, learner, endorsed_on=today, renewal_due=today + datetime.timedelta(days=30)
    )
    assert uuid.UUID(str(endorsement.verification_id)).version == 4
    client.force_login(learner)
    client.post(reverse("endorsement:registry_listing", args=[endorsement.pk]), {"listed": "on"})
    endorsement.refresh_from_db()
    assert endorsement.listed_in_registry
    client.post(reverse("endorsement:registry_listing", args=[endorsement.pk]), {})
    endorsement.refresh_from_db()
    assert not endorsement.listed_in_registry
    # Not someone else's, and not one the holder entered themselves.
    client.force_login(UserFactory())
    client.post(reverse("endorsement:registry_listing", args=[endorsement.pk]), {"listed": "on"})
    endorsement.refresh_from_db()
    assert not endorsement.listed_in_registry
    client.logout()
    page = client.get(reverse("endorsement:verify", args=[endorsement.verification_id]))
    assert page["X-Robots-Tag"] == "noindex"
    assert "Current : Ada Holder holds endorsement as Infant Family Specialist (IFS)" in text(page)
    assert learner.email not in text(page)
    assert client.get(reverse("endorsement:verify", args=[uuid.uuid4()])).status_code == 404
    Endorsement.objects.filter(pk=endorsement.pk).update(
        renewal_due=today - datetime.timedelta(days=1),
        endorsed_on=today - datetime.timedelta(days=400),
    )
    assert "Lapsed" in text(
        client.get(reverse("endorsement:verify", args=[endorsement.verification_id]))
    )


def test_the_portfolio_removes_only_endorsements_the_holder_entered(client, lakes):
    learner = UserFactory()
    category = EndorsementCategory.objects.get(code="IFS")
    update_profile(user=learner, association=lakes, target_category=category)
    today = timezone.localdate()
    endorsement = granted(
        lakes, learner, endorsed_on=today, renewal_due=today.replace(year=today.year + 1)
    )
    client.force_login(learner)
    response = client.post(reverse("endorsement:held"), {"remove": "1"}, follow=True)
    assert "only the association can change it" in text(response)
    assert Endorsement.objects.filter(pk=endorsement.pk).exists()
    # The holder may still say whether they provide RSC; the dates stay.
    client.post(
        reverse("endorsement:held"),
        {"endorsed_on": "2020-01-01", "provides_rsc": "on"},
    )
    endorsement.refresh_from_db()
    assert endorsement.provides_rsc and endorsement.endorsed_on == today

    Endorsement.objects.filter(pk=endorsement.pk).update(source=EndorsementSource.SELF_REPORTED)
    client.post(reverse("endorsement:held"), {"remove": "1"})
    assert not Endorsement.objects.filter(pk=endorsement.pk).exists()
