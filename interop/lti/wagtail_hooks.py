"""Registers the learning-platform (LTI) screen and its menu item in Wagtail's admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from .views import admin as views
from .views import admin_rosters


@hooks.register("register_admin_urls")
def register_lti_admin_urls():
    urls = [
        path("", views.platforms, name="platforms"),
        path("<id:connection_id>/", views.platform, name="platform"),
        path("<id:connection_id>/active/", views.set_active, name="set_active"),
        path("<id:connection_id>/courses/", admin_rosters.courses, name="courses"),
    ]
    return [path("lti/", include((urls, "lti_admin")))]


@hooks.register("register_admin_menu_item")
def register_lti_menu_item():
    return views.PlatformsMenuItem(
        _("Learning platforms (LTI)"), reverse("lti_admin:platforms"), icon_name="link", order=431
    )
