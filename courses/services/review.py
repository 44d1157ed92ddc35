"""The "Association review" workflow and where it applies."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from lms.accounts.models import User
from lms.accounts.selectors import preferred_language
from lms.organizations.permissions import Action, roles_allowing

from ..models import AssociationReviewTask

REVIEW_WORKFLOW_NAME = "Association review"


@transaction.atomic
def review_workflow() -> Workflow:
    """The one review workflow, with its one task (created on first use)."""
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    task = AssociationReviewTask.objects.filter(name=REVIEW_WORKFLOW_NAME).first()
    if task is None:
        task = AssociationReviewTask.objects.create(name=REVIEW_WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def ensure_review_workflow(*, organization) -> WorkflowPage | None:
    """Put the association's whole site under review, unless it already has a workflow."""
    if not organization.site_id:
        return None
    root = organization.site.root_page
    link, _ = WorkflowPage.objects.get_or_create(
        page=root, defaults={"workflow": review_workflow()}
    )
    return link


def notify_reviewers(*, task_state, submitted_by=None) -> int:
    """E-mail the reviewers of the page's association that a page awaits their review."""
    from ..selectors.ownership import association_for_page

    page = task_state.workflow_state.content_object
    association = association_for_page(page=page)
    if association is None:
        return 0
    reviewers = (
        User.objects.filter(
            is_active=True,
            memberships__organization=association,
            memberships__role__in=roles_allowing(Action.REVIEW_TRAINING),
        )
        .exclude(pk=getattr(submitted_by, "pk", None))
        .distinct()
    )
    edit_url = settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_pages:edit", args=(page.pk,))
    messages = [
        _review_request(
            reviewer=reviewer,
            submitted_by=submitted_by,
            title=page.get_admin_display_title(),
            association=association,
            edit_url=edit_url,
        )
        for reviewer in reviewers
    ]
    return send_mass_mail(messages, fail_silently=False)


def _review_request(*, reviewer, submitted_by, title, association, edit_url) -> tuple:
    """The e-mail to one reviewer, in the language they chose for Attune."""
    with translation.override(preferred_language(user=reviewer) or translation.get_language()):
        facts = {
            "name": reviewer.first_name or reviewer.email,
            "who": str(submitted_by) if submitted_by else gettext("An editor"),
            "title": title,
            "association": association.display_name,
            "url": edit_url,
        }
        return (
            gettext("Review requested: %(title)s") % facts,
            gettext(
                "Hello %(name)s,\n\n%(who)s submitted “%(title)s” for %(association)s's review. "
                "Approve it or request changes here:\n%(url)s\n"
            )
            % facts,
            None,
            [reviewer.email],
        )
