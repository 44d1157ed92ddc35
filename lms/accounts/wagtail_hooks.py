"""Registers the erasure requests screens (``admin_views``) and refuses deleting a person
whose data associations must keep (``user_deletion``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from . import admin_views
from .models import User
from .user_deletion import refuse_if_kept


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_active and request.user.is_superuser


@hooks.register("register_admin_urls")
def register_erasure_admin_urls():
    urls = [
        path("", admin_views.erasure_requests, name="erasure_requests"),
        path("<id:pk>/", admin_views.erasure_request, name="erasure_request"),
    ]
    return [
        path("erasure-requests/", include((urls, "accounts_admin"), namespace="accounts_admin"))
    ]


@hooks.register("register_admin_menu_item")
def register_erasure_menu_item():
    return PlatformAdminMenuItem(
        _("Erasure requests"),
        reverse("accounts_admin:erasure_requests"),
        icon_name="user",
        order=950,
    )


@hooks.register("before_delete_user")
def refuse_deleting_a_person_with_evidence(request, user):
    return refuse_if_kept(request, [user], reverse("wagtailusers_users:edit", args=[user.pk]))


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_people_with_evidence(request, action_type, objects, action_class):
    if action_type == "delete" and getattr(action_class, "model", None) is User:
        return refuse_if_kept(request, objects, reverse("wagtailusers_users:index"))
    return None
