"""Registers the membership-system sign-in screen (``admin``) in Wagtail's admin."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin import IdentityProviderViewSet, identity_provider_policy
from .models import IdentityProvider

register_permission_policy(IdentityProvider, identity_provider_policy())
register_snippet(IdentityProviderViewSet)
