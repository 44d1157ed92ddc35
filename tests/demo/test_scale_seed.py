"""``manage.py seed_scale``: rows written in bulk read back through the ORM as the platform's
own, the pages show them, and a second seed with the same prefix changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from demo.scale import AlreadySeeded, center_slug, learner_email, manager_email, seed_scale
from lms.accounts.models import User
from lms.records.models import PlatformCompletion, TrainingRecord
from lms.records.selectors.transcript import transcript_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seeded_rows_are_what_the_orm_reads_and_the_pages_show(client, framework):
    before = User.objects.count()
    result = seed_scale(learners=30, records=95, trainings=3, staff=10, prefix="tiny")
    assert (result.learners, result.records, result.trainings, result.staff) == (30, 95, 3, 10)

    assert User.objects.count() == before + 31  # the learners and the center's manager
    records = TrainingRecord.objects.filter(source_key__startswith="tiny:")
    assert records.count() == 95
    assert set(records.values_list("polymorphic_ctype__model", flat=True)) == {"platformcompletion"}
    assert PlatformCompletion.objects.filter(source_key__startswith="tiny:").count() == 95
    assert len(set(records.values_list("verification_id", flat=True))) == 95

    first = User.objects.get(email=learner_email("tiny", 0))
    assert first.profile.association.slug == "tiny-association"
    assert not first.has_usable_password()
    transcript = transcript_for(learner=first)
    assert len(transcript.lines) == 4  # 95 records over 30 learners: the first five have four
    assert transcript.training_hours == Decimal("6.00")
    assert {a.code: h for a, h in transcript.area_totals if h} == {
        "TF": Decimal("4.00"),
        "REF": Decimal("2.00"),
    }
    assert {line.facts.facilitator_names for line in transcript.lines} == {"Dana Whitfield"}

    # The sequences moved past the ids handed out: the ORM's next rows get fresh ones.
    UserFactory()

    response = client.get("/catalog/", HTTP_HOST="tiny.localhost")
    assert response.status_code == 200 and response.context["paginator"].count == 3
    client.force_login(first)
    assert client.get(reverse("endorsement:portfolio")).status_code == 200
    client.force_login(User.objects.get(email=manager_email("tiny")))
    response = client.get(f"/centers/{center_slug('tiny')}/")
    assert response.status_code == 200 and len(response.context["data"].rows) == 10


def test_a_second_seed_with_the_same_prefix_changes_nothing(framework):
    seed_scale(learners=3, records=3, trainings=1, staff=1, prefix="again")
    users = User.objects.count()
    with pytest.raises(AlreadySeeded):
        seed_scale(learners=3, records=3, trainings=1, staff=1, prefix="again")
    with pytest.raises(CommandError, match="already holds the seed 'again'"):
        call_command("seed_scale", learners=3, records=3, prefix="again", stdout=io.StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", learners=0, records=3, prefix="other", stdout=io.StringIO())
    assert User.objects.count() == users


def test_the_command_reports_what_it_seeded(framework):
    out = io.StringIO()
    call_command(
        "seed_scale", learners=4, records=8, trainings=2, staff=2, prefix="cmd", stdout=out
    )
    assert "Seeded 4 learners, 8 records, 2 catalog courses and a center of 2 staff" in (
        out.getvalue()
    )
