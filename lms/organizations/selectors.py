"""Read-side questions about organizations, above all: may this user do X here?"""

from django.db.models import QuerySet

from lms.accounts.models import User

from .models import Membership, Organization, OrganizationKind, Role
from .permissions import Action, kinds_allowing, roles_allowing

_CACHE_ATTR = "_attune_roles_by_org"


def _memberships(*, user) -> dict[int, tuple[str, frozenset[str]]]:
    """A user's organizations as ``{id: (kind, roles)}``: one query, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        kinds: dict[int, str] = {}
        roles: dict[int, set[str]] = {}
        for org_id, kind, role in Membership.objects.filter(user=user).values_list(
            "organization_id", "organization__kind", "role"
        ):
            kinds[org_id] = kind
            roles.setdefault(org_id, set()).add(role)
        cached = {org_id: (kinds[org_id], frozenset(r)) for org_id, r in roles.items()}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_by_organization(*, user) -> dict[int, frozenset[str]]:
    """All of a user's roles keyed by organization id (no query after the first)."""
    return {org_id: roles for org_id, (_, roles) in _memberships(user=user).items()}


def forget_cached_roles(*, user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_roles(*, user, organization: Organization) -> frozenset[str]:
    return roles_by_organization(user=user).get(organization.pk, frozenset())


def user_can(*, user, action: Action, organization: Organization | None) -> bool:
    """May ``user`` perform ``action`` on objects that belong to ``organization``?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if organization is None:
        return bool(user.is_superuser)
    if organization.kind not in kinds_allowing(action):
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user=user, organization=organization) & roles_allowing(action))


def _allowed_organization_ids(*, user, action: Action) -> list[int]:
    kinds, allowed = kinds_allowing(action), roles_allowing(action)
    return [
        org_id
        for org_id, (kind, roles) in _memberships(user=user).items()
        if kind in kinds and roles & allowed
    ]


def organizations_where(*, user, action: Action) -> QuerySet[Organization]:
    """Organizations in which ``user`` may perform ``action`` (all of them for superusers)."""
    qs = Organization.objects.filter(kind__in=kinds_allowing(action))
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=_allowed_organization_ids(user=user, action=action))


def can_anywhere(*, user, action: Action) -> bool:
    """May ``user`` perform ``action`` in at least one organization? Answered without a query
    once the user's memberships are loaded (menus and admin gates ask this many times)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(_allowed_organization_ids(user=user, action=action))


def members_with_role(*, organization: Organization, role: Role) -> QuerySet:
    return User.objects.filter(
        memberships__organization=organization, memberships__role=role
    ).distinct()


def associations() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION)
