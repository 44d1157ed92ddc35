"""Registers the integration screens (``views``) and their menu item in Wagtail's admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from . import views
from .views import IntegrationsMenuItem
from .xapi import views as xapi_views


@hooks.register("register_admin_urls")
def register_integrations_admin_urls():
    urls = [
        path("", views.integrations, name="integrations"),
        path("deliveries/", views.deliveries, name="deliveries"),
        path("endpoints/re-enable/", views.reenable_endpoint, name="reenable_endpoint"),
        # xAPI: each association's learning record store (lms/integrations/xapi/).
        path("lrs/", xapi_views.stores, name="xapi_stores"),
        path("lrs/<id:association_id>/", xapi_views.store, name="xapi_store"),
    ]
    return [path("integrations/", include((urls, "integrations_admin")))]


@hooks.register("register_admin_menu_item")
def register_integrations_menu_item():
    return IntegrationsMenuItem(
        _("Integrations"), reverse("integrations_admin:integrations"), icon_name="link", order=430
    )
