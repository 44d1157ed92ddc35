"""Registers the recordings' permission policy and admin viewset (defined in ``admin``)."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin import RecordingViewSet
from .conf import hook
from .models import Recording

register_permission_policy(
    Recording,
    hook("PERMISSION_POLICY", "wagtail.permission_policies.ModelPermissionPolicy")(Recording),
)
register_snippet(RecordingViewSet)
