"""Registers organizations' admin screens and permission policies (defined in ``admin``)
and the audit log report (``audit_report``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin import (
    EDITING,
    OBJECT_ACTIONS,
    FacilitatorGroup,
    FacilitatorPolicy,
    OrganizationGroup,
    OrganizationScopedPolicy,
)
from .audit_report import AuditLogMenuItem, AuditLogView
from .models import Facilitator, FacilitatorApproval
from .permissions import Action

register_permission_policy(Facilitator, FacilitatorPolicy(Facilitator, actions=EDITING))
register_permission_policy(
    FacilitatorApproval,
    OrganizationScopedPolicy(
        FacilitatorApproval,
        actions=dict.fromkeys(OBJECT_ACTIONS, Action.APPROVE_FACILITATORS),
        owner_field="association",
    ),
)
register_snippet(OrganizationGroup)
register_snippet(FacilitatorGroup)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path("audit-log/", AuditLogView.as_view(), name="audit_log"),
        path(
            "audit-log/results/",
            AuditLogView.as_view(results_only=True),
            name="audit_log_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(_("Audit log"), reverse("audit_log"), icon_name="history", order=900)
