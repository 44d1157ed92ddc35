"""The module library's admin: its permission policy, its editor form and viewset (with the
panel that lists where a module is used), and the institute's menu item to its usage page."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import LinkMenuItemComponent, MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from lms.organizations.admin import (
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.models import Organization, OrganizationKind
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from ..models import LibraryModule
from ..selectors.library import modules_available_to
from .columns import yes_no
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("shared_with")
        if field is not None:
            # Associations embed modules in their courses; nobody else can use a share.
            # One already shared with stays listed, so that it can be unticked.
            kept = [o.pk for o in self.instance.shared_with.all()] if self.instance.pk else []
            field.queryset = Organization.objects.filter(
                Q(kind=OrganizationKind.ASSOCIATION) | Q(pk__in=kept)
            ).order_by("name")
            field.label = gettext_lazy("Shared with these associations")


class LibraryModuleViewSet(OrganizationScopedViewSet):
    model = LibraryModule
    icon = "folder-inverse"
    menu_label = gettext_lazy("Module library")
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "title",
        "organization",
        yes_no(
            LibraryModule, "shared_with_all", label=gettext_lazy("Shared with every association")
        ),
    ]
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
                [
                    FieldPanel("shared_with_all"),
                    FieldPanel("shared_with", widget=forms.CheckboxSelectMultiple),
                ],
                heading=gettext_lazy("Sharing"),
            ),
            ModuleUsagePanel(heading=gettext_lazy("Where this module is used")),
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


class ModuleUsageMenuItem(MenuItem):
    """The institute's page of where its modules are used, for its module authors. The link
    goes to the first institute the person authors for (people author for one)."""

    def institutes(self, request):
        return organizations_where(user=request.user, action=Action.AUTHOR_MODULES).filter(
            kind=OrganizationKind.FACULTY_INSTITUTE
        )

    def is_shown(self, request):
        return self.institutes(request).exists()

    def render_component(self, request):
        institute = self.institutes(request).order_by("name").first()
        # Menu items are shared between requests: the link is made for this one.
        return LinkMenuItemComponent(
            self.name,
            self.label,
            reverse("centers:institute_library", kwargs={"slug": institute.slug}),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def module_usage_menu_item():
    return ModuleUsageMenuItem(
        gettext_lazy("Where my modules are used"), "#", icon_name="link", order=221
    )
