"""Registers records' admin screens (defined in ``admin`` and ``views/admin.py``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.organizations.admin import OBJECT_ACTIONS, OrganizationScopedPolicy
from lms.organizations.permissions import Action

from .admin import CertificateTemplateViewSet, IssuedRecordsMenuItem
from .models import CertificateTemplate
from .views import admin as admin_views

# An organization's admins manage their own certificate templates, and only theirs.
register_permission_policy(
    CertificateTemplate,
    OrganizationScopedPolicy(
        CertificateTemplate, actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_CERTIFICATES)
    ),
)
register_snippet(CertificateTemplateViewSet)


@hooks.register("register_admin_urls")
def register_records_admin_urls():
    urls = [
        path("", admin_views.issued_records, name="issued_records"),
        path("credit-roster/", admin_views.credit_roster, name="credit_roster"),
        path("<uuid:verification_id>/", admin_views.issued_record, name="issued_record"),
    ]
    return [path("issued-records/", include((urls, "records_admin"), namespace="records_admin"))]


@hooks.register("register_admin_menu_item")
def register_issued_records_menu_item():
    return IssuedRecordsMenuItem(
        _("Issued records"),
        reverse("records_admin:issued_records"),
        icon_name="list-ul",
        order=400,
    )
