from django.db import transaction

from .models import Membership, Organization, Role
from .selectors import forget_cached_roles


@transaction.atomic
def add_member(*, organization: Organization, user, role: Role) -> Membership:
    """Give ``user`` ``role`` in ``organization``; adding an existing role changes nothing."""
    membership, _ = Membership.objects.get_or_create(
        organization=organization, user=user, role=Role(role)
    )
    forget_cached_roles(user=user)
    return membership


@transaction.atomic
def remove_member(*, organization: Organization, user, role: Role) -> int:
    deleted, _ = Membership.objects.filter(
        organization=organization, user=user, role=Role(role)
    ).delete()
    forget_cached_roles(user=user)
    return deleted
