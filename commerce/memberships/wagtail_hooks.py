"""Registers the memberships admin (``admin``, ``admin_views``) in Wagtail: plans as scoped
snippets, the members screens at /admin/memberships/ (namespace ``memberships_admin``),
both under one "Memberships" menu, and every change to a plan in the audit log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms import parsing  # noqa: F401 - registers the <id:...> converter
from lms.audit.models import AuditAction
from lms.audit.snippet_hooks import audit_snippet_changes

from . import admin_views as views
from .admin import MEMBERS_MENU_HOOK, MembershipsGroup, membership_plan_policy
from .models import MembershipPlan

register_permission_policy(MembershipPlan, membership_plan_policy())
register_snippet(MembershipsGroup)


@hooks.register("register_admin_urls")
def register_members_admin_urls():
    members = [
        path("", views.members, name="members"),
        path("members.csv", views.members_csv, name="members_csv"),
        path("record/", views.record, name="record"),
        path("<id:membership_id>/cancel/", views.cancel, name="cancel"),
    ]
    return [path("memberships/", include((members, "memberships_admin")))]


@hooks.register(MEMBERS_MENU_HOOK)
def register_members_menu_item():
    return views.MembersMenuItem(
        _("Members"), reverse("memberships_admin:members"), icon_name="user", order=0
    )


audit_snippet_changes(
    (MembershipPlan,),
    action=AuditAction.MEMBERSHIP_PLAN_CHANGED,
    details=lambda plan: {
        "dues": plan.annual_dues,
        "length_months": plan.length_months,
        "offered": plan.active,
    },
)
