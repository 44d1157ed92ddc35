"""Registers endorsement's admin screens, permission policy, reviewer URLs and menu item
(defined in ``admin``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere

from .admin import ApplicationsMenuItem, RequirementSetViewSet, requirement_set_policy, review_urls
from .models import RequirementSet

register_permission_policy(RequirementSet, requirement_set_policy())
register_snippet(RequirementSetViewSet)


@hooks.register("register_admin_urls")
def register_applications_admin_urls():
    namespace = "applications_admin"
    return [
        path(
            "endorsement-applications/",
            include((review_urls, namespace), namespace=namespace),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ApplicationsMenuItem(
        _("Endorsement applications"),
        reverse("applications_admin:applications"),
        icon_name="form",
        order=425,
    )


class FeesDueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_APPLICATIONS)


@hooks.register("register_admin_menu_item")
def register_fees_due_menu_item():
    # Right below the applications (the fees are theirs), for the admins who may waive one.
    return FeesDueMenuItem(
        _("Application fees due"),
        reverse("applications_admin:fees"),
        icon_name="tag",
        order=426,
    )
