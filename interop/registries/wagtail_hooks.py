"""Registers the registry screens (``admin_views``) in Wagtail's admin: the roster export
for those who report, and the association's registries for its administrators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_views as views


@hooks.register("register_admin_urls")
def register_registries_admin_urls():
    urls = [
        path("", views.export, name="export"),
        path("download/", views.download, name="download"),
        path("event-id/", views.event_id, name="event_id"),
        path("settings/", views.settings, name="settings"),
    ]
    return [path("registries/", include((urls, "registries_admin")))]


@hooks.register("register_admin_menu_item")
def register_registry_rosters_menu_item():
    return views.ReportingMenuItem(
        _("Registry rosters"), reverse("registries_admin:export"), icon_name="download", order=230
    )


@hooks.register("register_settings_menu_item")
def register_registry_settings_menu_item():
    return views.RegistrySettingsMenuItem(
        _("Registry settings"), reverse("registries_admin:settings"), icon_name="cog", order=610
    )
