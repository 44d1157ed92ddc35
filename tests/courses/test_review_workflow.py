"""Association review: editors submit, reviewers of the same association decide."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from courses.models import AssociationReviewTask, CoursePage
from lms.organizations.models import Role
from tests.courses.admin_forms import training_form
from tests.courses.factories import approved_facilitator, member, training


@pytest.fixture
def submitted(client, great_lakes):
    """A complete course that a Great Lakes editor created and submitted for review."""
    editor = member(great_lakes, Role.EDITOR)
    client.force_login(editor)
    form = training_form(
        facilitators=[approved_facilitator(great_lakes)], provider=great_lakes, action="submit"
    )
    url = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", great_lakes.catalog.pk))
    assert client.post(url, form).status_code == 302
    page = CoursePage.objects.get(alias_of__isnull=True)  # not its Spanish alias
    assert page.workflow_in_progress and not page.live
    return page, editor


def act(client, page, user, action, comment=""):
    client.force_login(user)
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status="in_progress")
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    return client.post(url, {"comment": comment})


def test_editor_cannot_publish_directly(client, submitted):
    page, editor = submitted
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.post(
        edit,
        training_form(facilitators=page.facilitators(), provider=page.provider, action="publish"),
    )
    page.refresh_from_db()
    assert not page.live
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()
    task = page.current_workflow_task.specific
    assert isinstance(task, AssociationReviewTask)
    assert task.get_actions(page, editor) == []


def test_reviewer_of_another_association_cannot_approve(client, submitted, prairie):
    page, _ = submitted
    outsider = member(prairie, Role.REVIEWER)
    assert page.current_workflow_task.specific.get_actions(page, outsider) == []
    response = act(client, page, outsider, "approve")
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress
    states = TaskState.objects.reviewable_by(outsider)
    assert not states.exists()


def test_reviewer_of_the_same_association_approves_and_it_goes_live(client, submitted, great_lakes):
    page, _ = submitted
    reviewer = member(great_lakes, Role.REVIEWER)
    assert list(TaskState.objects.reviewable_by(reviewer)) == [
        TaskState.objects.get(workflow_state__object_id=str(page.pk))
    ]
    act(client, page, reviewer, "approve", comment="Clear objectives, thank you.")
    page.refresh_from_db()
    assert page.live and not page.workflow_in_progress
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == "approved"


def test_reviewer_rejects_with_a_comment_the_editor_can_read(client, submitted, great_lakes):
    page, editor = submitted
    reviewer = member(great_lakes, Role.REVIEWER)
    act(client, page, reviewer, "reject", comment="Please add the credit statement.")
    page.refresh_from_db()
    assert not page.live
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert state.status == "rejected" and state.comment == "Please add the credit statement."
    client.force_login(editor)
    history = client.get(reverse("wagtailadmin_pages:workflow_history", args=(page.pk,)))
    assert history.status_code == 200


def test_reviewers_of_the_association_are_emailed(
    client, great_lakes, prairie, mailoutbox, django_capture_on_commit_callbacks
):
    ruth = member(great_lakes, Role.REVIEWER, user__email="ruth@glaimh.example")
    member(prairie, Role.REVIEWER, user__email="omar@paiecmh.example")
    client.force_login(member(great_lakes, Role.EDITOR))
    form = training_form(
        facilitators=[approved_facilitator(great_lakes)], provider=great_lakes, action="submit"
    )
    url = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", great_lakes.catalog.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form)
    ours = [m for m in mailoutbox if m.subject.startswith("Review requested")]
    assert [m.to for m in ours] == [[ruth.email]]
    assert "/admin/pages/" in ours[0].body


def test_approval_is_not_offered_for_an_incomplete_version(great_lakes):
    page = training(great_lakes, "Unfinished course", facilitators=[], publish=False)
    editor, reviewer = member(great_lakes, Role.EDITOR), member(great_lakes, Role.REVIEWER)
    page.get_workflow().start(page, editor)
    actions = page.current_workflow_task.specific.get_actions(page, reviewer)
    assert [name for name, _, _ in actions] == ["reject"]


def test_bulk_publishing_refuses_incomplete_training(client, great_lakes):
    complete = training(great_lakes, "Complete course", publish=False)
    incomplete = training(great_lakes, "Course without facilitator", facilitators=[], publish=False)
    client.force_login(member(great_lakes, Role.ADMIN))
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={complete.pk}&id={incomplete.pk}"
    )
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    assert not CoursePage.objects.filter(live=True).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Add at least one facilitator before publishing." in m for m in messages)
