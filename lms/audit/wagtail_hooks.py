"""The audit log in the Wagtail admin: read-only, for organization admins (their
organizations' entries) and superusers (all entries), filterable by action, organization and
date."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where

from .models import AuditAction, AuditEvent
from .selectors import events_visible_to


def _organizations(request):
    return organizations_where(user=request.user, action=Action.VIEW_AUDIT_LOG)


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label="Action")
    organization = django_filters.ModelChoiceFilter(queryset=_organizations, label="Organization")
    created = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = ["action", "organization", "created"]


class AuditLogView(ReportView):
    page_title = "Audit log"
    header_icon = "history"
    filterset_class = AuditEventFilterSet
    index_url_name = "audit_log"
    index_results_url_name = "audit_log_results"
    columns = [
        DateColumn("created", label="When"),
        Column("action", label="Action", accessor="get_action_display"),
        Column("actor_repr", label="By"),
        Column("organization", label="Organization"),
        Column("target_repr", label="Target"),
        Column("ip", label="IP address"),
    ]
    list_export = [
        "created",
        "action",
        "actor_repr",
        "organization",
        "target_type",
        "target_id",
        "target_repr",
        "details",
        "ip",
    ]

    def get_filename(self):
        return "audit-log"

    def dispatch(self, request, *args, **kwargs):
        if not can_anywhere(user=request.user, action=Action.VIEW_AUDIT_LOG):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return events_visible_to(user=self.request.user).select_related("organization")


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.VIEW_AUDIT_LOG)


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
    return AuditLogMenuItem("Audit log", reverse("audit_log"), icon_name="history", order=900)
