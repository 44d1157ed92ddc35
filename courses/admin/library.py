"""The module library's admin: its permission policy, its editor form and viewset (with the
panel that lists where a module is used)."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from lms.organizations.admin import (
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from ..models import LibraryModule
from ..selectors.library import modules_available_to
from .panels import ModuleUsagePanel

# Authors write modules; the organization's reviewers (and admins) may open them to publish.
AUTHORS_OR_PUBLISHERS = (Action.AUTHOR_MODULES, Action.PUBLISH_TRAINING)


def library_module_policy() -> OrganizationScopedPolicy:
    return OrganizationScopedPolicy(
        LibraryModule,
        actions={
            "add": Action.AUTHOR_MODULES,
            "delete": Action.AUTHOR_MODULES,
            **dict.fromkeys(("change", "view", "lock", "unlock"), AUTHORS_OR_PUBLISHERS),
            "publish": Action.PUBLISH_TRAINING,
        },
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
