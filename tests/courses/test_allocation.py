"""A training's competency allocation: clear messages, and nothing saved or published."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses.allocation import AllocationRow, allocation_errors, row_errors
from courses.models import CoursePage, TrainingAreaHours
from courses.selectors.publication import publication_errors
from courses.services.authoring import area
from lms.organizations.models import Role
from tests.courses.admin_forms import training_form
from tests.courses.factories import approved_facilitator, member, training

D = Decimal


def rows(*pairs):
    return [
        AllocationRow(area_id=i, area_name=name, hours=D(h)) for i, (name, h) in enumerate(pairs)
    ]


def test_rows_that_add_up_to_the_contact_hours_are_accepted():
    assert (
        allocation_errors(
            contact_hours=D("3"),
            rows=rows(("Reflection", "1.25"), ("Thinking", "1.75")),
            complete=True,
        )
        == []
    )


def test_sum_mismatch_names_both_totals():
    errors = allocation_errors(
        contact_hours=D("3"), rows=rows(("Reflection", "1.5"), ("Thinking", "1")), complete=True
    )
    assert errors == [
        "The competency area hours add up to 2.5 but the contact hours are 3. Change the rows "
        "so that they add up to the contact hours."
    ]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-1", "Hours for Reflection cannot be negative (-1)."),
        ("0", "Hours for Reflection must be more than zero; remove the row instead."),
        ("1.1", "Hours for Reflection must be in steps of 0.25 (a quarter hour); 1.1 is not."),
        ("0.3", "Hours for Reflection must be in steps of 0.25 (a quarter hour); 0.3 is not."),
    ],
)
def test_bad_rows_get_a_message_that_names_the_area(hours, message):
    assert row_errors(area_name="Reflection", hours=D(hours)) == [message]


def test_one_row_per_area_and_at_least_one_row_to_publish():
    duplicated = [AllocationRow(1, "Reflection", D("1")), AllocationRow(1, "Reflection", D("1"))]
    assert allocation_errors(contact_hours=D("2"), rows=duplicated, complete=False) == [
        "Reflection has 2 rows; give each area one row."
    ]
    assert allocation_errors(contact_hours=D("2"), rows=[], complete=True) == [
        "Add at least one competency area with its hours before publishing."
    ]
    assert allocation_errors(contact_hours=D("2"), rows=[], complete=False) == []


def test_the_model_row_reuses_the_same_rule(framework):
    with pytest.raises(ValidationError) as raised:
        TrainingAreaHours(area=area("REF"), hours=D("0.4")).clean()
    assert raised.value.message_dict["hours"] == [
        "Hours for Reflection must be in steps of 0.25 (a quarter hour); 0.4 is not."
    ]


def test_the_database_refuses_rows_that_bypass_validation(great_lakes):
    page = training(great_lakes, "Observation in home visits", hours={"COM": "1"})
    for bad in ("-0.25", "0.1"):
        with pytest.raises(IntegrityError), transaction.atomic():
            TrainingAreaHours.objects.create(page=page, area=area("REF"), hours=D(bad))


def test_publishing_is_refused_without_allocation_or_facilitator(great_lakes):
    page = training(great_lakes, "Draft course", hours={"TF": "1"}, facilitators=[], publish=False)
    page.contact_hours = D("2")
    assert publication_errors(page=page) == [
        "The competency area hours add up to 1 but the contact hours are 2. Change the rows so "
        "that they add up to the contact hours.",
        "Add at least one facilitator before publishing.",
    ]
    page.save()
    with pytest.raises(ValidationError):
        page.save_revision().publish()
    assert not CoursePage.objects.get(pk=page.pk).live


@pytest.fixture
def editor_client(client, great_lakes):
    client.force_login(member(great_lakes, Role.EDITOR))
    return client


def add_url(org):
    return reverse("wagtailadmin_pages:add", args=("courses", "coursepage", org.catalog.pk))


def test_editor_sees_the_sum_message_when_submitting_and_nothing_is_saved(
    editor_client, great_lakes
):
    facilitator = approved_facilitator(great_lakes)
    form = training_form(
        contact_hours="3",
        rows=[("TF", "1.5"), ("REF", "1")],
        facilitators=[facilitator],
        provider=great_lakes,
        action="submit",
    )
    response = editor_client.post(add_url(great_lakes), form)
    assert response.status_code == 200
    assert "add up to 2.5 but the contact hours are 3" in response.content.decode()
    assert not CoursePage.objects.exists()


def test_editor_sees_row_messages_even_on_a_draft_save(editor_client, great_lakes):
    form = training_form(rows=[("TF", "-1"), ("REF", "0.3")])
    html = editor_client.post(add_url(great_lakes), form).content.decode()
    assert "Hours for Theoretical Foundations cannot be negative (-1)." in html
    assert "must be in steps of 0.25 (a quarter hour); 0.3 is not." in html
    assert not CoursePage.objects.exists()


def test_an_incomplete_draft_can_be_saved_but_not_submitted(editor_client, great_lakes):
    response = editor_client.post(add_url(great_lakes), training_form(contact_hours="3"))
    assert response.status_code == 302
    draft = CoursePage.objects.get(alias_of__isnull=True)  # not its Spanish alias
    assert not draft.live and draft.area_hours.count() == 2

    edit = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    html = editor_client.post(edit, training_form(contact_hours="3", action="submit")).content
    assert b"Add at least one facilitator before publishing." in html
    assert not draft.workflow_in_progress


def test_allocation_errors_sit_in_their_tab_and_the_editor_shows_a_running_total(
    editor_client, great_lakes
):
    """The sum message is rendered inside the Competencies tab (Wagtail counts the tab's
    error messages on the tab), the facilitator message inside the Content tab, and the
    editor carries the running total's script and its translated sentences."""
    form = training_form(contact_hours="3", rows=[("TF", "1.5"), ("REF", "1")], action="submit")
    html = editor_client.post(add_url(great_lakes), form).content.decode()
    competencies = html.split('id="tab-competencies"', 1)[1].split('id="tab-completion"', 1)[0]
    assert "add up to 2.5 but the contact hours are 3" in competencies
    assert 'class="error-message"' in competencies
    content = html.split('id="tab-content"', 1)[1].split('id="tab-competencies"', 1)[0]
    assert "Add at least one facilitator before publishing." in content
    assert 'id="attune-allocation-text" type="application/json"' in html
    assert "courses/admin/allocation_total.js" in html
    assert not CoursePage.objects.exists()
