from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.organizations.admin import (
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.organizations.private_cohorts import page_hidden_from
from lms.organizations.selectors import organizations_where

from .models import LessonPage, LibraryModule, TrainingPage
from .panels import ModuleUsagePanel
from .selectors.facilitators import expired_approvals, expiry_warning
from .selectors.library import modules_available_to
from .selectors.ownership import association_for_page
from .services.publication import publication_errors

# Authors write modules; the organization's reviewers (and admins) may open them to publish.
AUTHORS_OR_PUBLISHERS = (Action.AUTHOR_MODULES, Action.PUBLISH_TRAINING)
register_permission_policy(
    LibraryModule,
    OrganizationScopedPolicy(
        LibraryModule,
        actions={
            "add": Action.AUTHOR_MODULES,
            "delete": Action.AUTHOR_MODULES,
            **dict.fromkeys(("change", "view", "lock", "unlock"), AUTHORS_OR_PUBLISHERS),
            "publish": Action.PUBLISH_TRAINING,
        },
    ),
)


class LibraryModuleForm(OrganizationScopedForm):
    owner_action = Action.AUTHOR_MODULES


class LibraryModuleViewSet(OrganizationScopedViewSet):
    model = LibraryModule
    icon = "folder-inverse"
    menu_label = "Module library"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "organization", "shared_with_all"]
    list_filter = ["organization", "shared_with_all"]
    search_fields = ["title", "summary"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("summary"),
            FieldPanel("organization"),
            FieldPanel("estimated_minutes"),
            FieldPanel("areas"),
            FieldPanel("audience"),
            FieldPanel("body"),
            MultiFieldPanel(
                [FieldPanel("shared_with_all"), FieldPanel("shared_with")], heading="Sharing"
            ),
            ModuleUsagePanel(heading="Where this module is used"),
        ],
        base_form_class=LibraryModuleForm,
    )

    def chooser_queryset(self, request):
        """Editors choose among the published modules shared with any of their
        organizations."""
        organizations = organizations_where(user=request.user, action=Action.EDIT_TRAINING)
        choices = LibraryModule.objects.none()
        for organization in organizations:
            choices |= modules_available_to(organization=organization)
        return choices.distinct().select_related("organization")


register_snippet(LibraryModuleViewSet)


@hooks.register("before_edit_page")
def warn_editors_about_training(request, page):
    """Expired facilitator approvals, and why a version in review cannot be approved yet."""
    if request.method != "GET" or not isinstance(page, TrainingPage):
        return
    association = association_for_page(page=page)
    if association is not None:
        facilitator_ids = [link.facilitator_id for link in page.facilitator_links.all()]
        for approval in expired_approvals(facilitator_ids=facilitator_ids, association=association):
            messages.warning(request, expiry_warning(approval))
    if page.workflow_in_progress:
        problems = publication_errors(page=page)
        if problems:
            messages.warning(
                request,
                "This version cannot be approved until it is complete: " + " ".join(problems),
            )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_incomplete_training(request, action_type, objects, action):
    if action_type != "publish":
        return None
    refused = []
    for obj in objects:
        if isinstance(obj, Page):
            latest = obj.get_latest_revision_as_object()
            problems = publication_errors(page=latest)
            if problems:
                refused.append(f"“{obj.get_admin_display_title()}”: {' '.join(problems)}")
    if not refused:
        return None
    messages.error(request, "Nothing was published. " + " ".join(refused))
    return redirect(request.GET.get("next") or "wagtailadmin_home")


@hooks.register("construct_page_chooser_queryset")
def hide_other_associations_drafts(pages, request):
    """Choosers list any published page, but drafts only from the editor's own sites."""
    user = request.user
    if user.is_superuser:
        return pages
    visible = Q(live=True)
    for organization in (
        organizations_where(user=user, action=Action.EDIT_TRAINING)
        .filter(site__isnull=False)
        .select_related("site__root_page")
    ):
        visible |= Q(path__startswith=organization.site.root_page.path)
    return pages.filter(visible)


@hooks.register("before_serve_page")
def hide_private_cohorts(page, request, serve_args, serve_kwargs):
    """A center's private cohort, and its lessons, do not exist for anyone outside the center
    (404, as the catalog does not list them either). Other pages cost no query."""
    if isinstance(page, (TrainingPage, LessonPage)) and page_hidden_from(
        user=request.user, page=page
    ):
        raise Http404


from . import learning_admin  # noqa: E402, F401 - registers the learning snippets
