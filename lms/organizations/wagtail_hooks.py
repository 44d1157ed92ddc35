"""Registers organizations' admin screens and permission policies (defined in ``admin``)."""

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
