from django.db.models import QuerySet

from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from .models import AuditEvent


def events_visible_to(*, user) -> QuerySet[AuditEvent]:
    """Superusers see every entry; organization admins the entries of their organizations."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(
        organization__in=organizations_where(user=user, action=Action.VIEW_AUDIT_LOG)
    )
