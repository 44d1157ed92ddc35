"""Registers the membership-system sign-in screen (``admin``) in Wagtail's admin."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.audit.models import AuditAction
from lms.audit.snippet_hooks import audit_snippet_changes

from .admin import IdentityProviderViewSet, identity_provider_policy
from .models import IdentityProvider

register_permission_policy(IdentityProvider, identity_provider_policy())
register_snippet(IdentityProviderViewSet)
audit_snippet_changes(
    (IdentityProvider,),
    action=AuditAction.IDENTITY_PROVIDER_CHANGED,
    details=lambda provider: {
        "name": provider.name,
        "protocol": provider.protocol,
        "enabled": provider.enabled,
    },
)
