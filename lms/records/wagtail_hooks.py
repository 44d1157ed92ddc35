"""Registers records' admin screens (defined in ``admin`` and ``views/admin.py``)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.audit.models import AuditAction
from lms.audit.snippet_hooks import audit_snippet_changes
from lms.organizations.admin import OBJECT_ACTIONS, OrganizationScopedPolicy
from lms.organizations.permissions import Action

from .admin import (
    CertificateTemplateViewSet,
    CreditKindViewSet,
    IssuedRecordsMenuItem,
    credit_kind_in_use,
)
from .models import CertificateTemplate, CreditKind
from .views import admin as admin_views

# An organization's admins manage their own certificate templates, and only theirs.
register_permission_policy(
    CertificateTemplate,
    OrganizationScopedPolicy(
        CertificateTemplate, actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_CERTIFICATES)
    ),
)
register_snippet(CertificateTemplateViewSet)

# An association's admins keep its credit kinds; every change is audited.
register_permission_policy(
    CreditKind,
    OrganizationScopedPolicy(
        CreditKind, actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_CREDIT_KINDS)
    ),
)
register_snippet(CreditKindViewSet)
audit_snippet_changes(
    (CreditKind,),
    action=AuditAction.CREDIT_KIND_CHANGED,
    owner_field="organization",
    details=lambda kind: {
        "name": kind.name,
        "code": kind.code,
        "awarding_body": kind.awarding_body,
        "approval_number": kind.approval_number,
        "approved_until": kind.approved_until,
        "offered": kind.is_active,
    },
)


@hooks.register("before_delete_snippet")
def refuse_deleting_credit_kinds_in_use(request, instances):
    """The list's bulk delete gets the delete view's answer for a kind in use, and deletes
    none of the kinds chosen."""
    reasons = [credit_kind_in_use(o) for o in instances if isinstance(o, CreditKind)]
    reasons = [r for r in reasons if r]
    if not reasons:
        return None
    for reason in reasons:
        messages.error(request, reason)
    return redirect("wagtailsnippets_records_creditkind:list")


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
