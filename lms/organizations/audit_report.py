"""The audit log in the Wagtail admin: read-only, for organization admins (their
organizations' entries) and superusers (all entries), filterable by action, organization and
date. ``lms.audit`` holds the log itself and imports nothing of ours; who may read which
entries is a question for the permission table, so the report lives here."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from lms.audit.models import AuditAction, AuditEvent

from .permissions import Action
from .selectors import can_anywhere, organizations_where


def _organizations(request):
    return organizations_where(user=request.user, action=Action.VIEW_AUDIT_LOG)


def events_visible_to(*, user) -> QuerySet[AuditEvent]:
    """Superusers see every entry; organization admins the entries of their organizations."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(
        organization__in=organizations_where(user=user, action=Action.VIEW_AUDIT_LOG)
    )


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    organization = django_filters.ModelChoiceFilter(
        queryset=_organizations, label=_("Organization")
    )
    created = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = ["action", "organization", "created"]


class AuditLogView(ReportView):
    page_title = _("Audit log")
    header_icon = "history"
    filterset_class = AuditEventFilterSet
    index_url_name = "audit_log"
    index_results_url_name = "audit_log_results"
    columns = [
        DateColumn("created", label=_("When")),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("actor_repr", label=_("By")),
        Column("organization", label=_("Organization")),
        Column("target_repr", label=_("Target")),
        Column("ip", label=_("IP address")),
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
