"""Registers the contracts' admin screen and permission policy (defined in ``admin``)."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.organizations.admin import OBJECT_ACTIONS
from lms.organizations.models import Contract
from lms.organizations.permissions import Action

from .admin import ContractPolicy, ContractViewSet

register_permission_policy(
    Contract,
    ContractPolicy(
        Contract,
        actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_CONTRACTS),
        owner_field="association",
    ),
)
register_snippet(ContractViewSet)
