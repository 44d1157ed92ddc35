"""Wagtail groups and permissions, derived from memberships and the permission table.

Wagtail decides page access with groups and ``GroupPagePermission`` rows. Attune keeps one
group per organization and role, gives it exactly what ``RULES`` allows that role, scoped
to the organization's own site root, media collection and site settings, and keeps each
user's groups equal to their memberships. Nothing here decides who may do what; it only
translates the table for Wagtail.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
)

from lms.organizations.models import Membership, Organization, Role
from lms.organizations.permissions import Action, kinds_allowing, roles_allowing

from ..models import OrganizationCollection, RoleGroup

# Attune action -> Wagtail page permissions on the association's site root.
PAGE_PERMISSIONS = {
    Action.EDIT_TRAINING: {"wagtailcore.add_page", "wagtailcore.change_page"},
    Action.REVIEW_TRAINING: {"wagtailcore.change_page"},
    Action.PUBLISH_TRAINING: {"wagtailcore.publish_page"},
    # Deleting a course with its lessons: safe since trainings with learners are archived
    # and pages holding them refused (``courses.admin.archive``).
    Action.MANAGE_SITE: {"wagtailcore.bulk_delete_page"},
}
# Attune action -> permissions on the organization's image and document collection.
COLLECTION_PERMISSIONS = {
    Action.MANAGE_MEDIA: {
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    },
    Action.EDIT_TRAINING: {"wagtailimages.choose_image", "wagtaildocs.choose_document"},
    Action.AUTHOR_MODULES: {"wagtailimages.choose_image", "wagtaildocs.choose_document"},
}
# Attune action -> model-wide permissions. Wagtail shows a snippet's Publish button only to
# holders of the model permission; which modules they may publish is still the policy's
# question (``OrganizationScopedPolicy``), asked again when the button is pressed.
MODEL_PERMISSIONS = {
    Action.PUBLISH_TRAINING: {"courses.publish_librarymodule"},
    # Starting a translation (wagtail-localize); which pages is asked per page
    # (courses.admin.translations), like every edit.
    Action.EDIT_TRAINING: {"wagtail_localize.submit_translation"},
}
# Attune action -> permissions on the association's site settings.
SITE_PERMISSIONS = {Action.MANAGE_SITE: {"organizations.change_associationbranding"}}
# Any of these lets a person into Wagtail's admin.
ADMIN_ACTIONS = {
    Action.EDIT_TRAINING,
    Action.REVIEW_TRAINING,
    Action.PUBLISH_TRAINING,
    Action.AUTHOR_MODULES,
    Action.APPROVE_FACILITATORS,
    Action.MANAGE_MEDIA,
    Action.MANAGE_SITE,
}


def ensure_translation_permission(*, using: str = "default") -> None:
    """wagtail-localize's "submit translation" permission, which editors' groups hold.

    Its own data migration creates it, not a model's ``Meta.permissions``: a flushed
    database (``manage.py flush``, transactional tests) loses it, Django's post-migrate
    step does not bring it back, and groups synced afterwards silently lacked it (their
    editors were not offered "Translate this page"). Run after every migrate and flush."""
    from django.contrib.contenttypes.models import ContentType

    content_type, _ = ContentType.objects.db_manager(using).get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    Permission.objects.db_manager(using).get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )


def actions_for(*, role: str, kind: str) -> set[Action]:
    return {a for a in Action if role in roles_allowing(a) and kind in kinds_allowing(a)}


def _permissions(codenames: set[str]) -> list[Permission]:
    condition = Q(pk__in=[])
    for name in codenames:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(condition))


def _union(table: dict, actions: set[Action]) -> set[str]:
    return set().union(*(table.get(a, set()) for a in actions))


def media_collection(*, organization: Organization) -> Collection:
    link = OrganizationCollection.objects.filter(organization=organization).first()
    if link is not None:
        return link.collection
    # Wagtail's migrations create the root collection; a flushed test database has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.add_child(name=organization.name)
    OrganizationCollection.objects.create(organization=organization, collection=collection)
    return collection


def _group(organization: Organization, role: str) -> Group:
    link = RoleGroup.objects.filter(organization=organization, role=role).first()
    if link is not None:
        return link.group
    group, _ = Group.objects.get_or_create(name=f"{organization.slug} · {Role(role).label}")
    RoleGroup.objects.create(organization=organization, role=role, group=group)
    return group


def _set_scoped_permissions(model, group, scope_field: str, scope, codenames: set[str]):
    """Make ``group``'s rows in ``model`` (page, collection or site permissions) exactly
    ``codenames`` on ``scope`` (one object or a list); no scope means no rows."""
    scopes = scope if isinstance(scope, list) else ([scope] if scope is not None else [])
    wanted = {(each.pk, p.pk) for each in scopes for p in _permissions(codenames)}
    rows = model.objects.filter(group=group)
    existing = set(rows.values_list(f"{scope_field}_id", "permission_id"))
    for scope_id, permission_id in existing - wanted:
        rows.filter(**{f"{scope_field}_id": scope_id}, permission_id=permission_id).delete()
    model.objects.bulk_create(
        model(group=group, **{f"{scope_field}_id": scope_id}, permission_id=permission_id)
        for scope_id, permission_id in wanted - existing
    )


@transaction.atomic
def sync_organization_access(*, organization: Organization) -> list[Group]:
    """Create or update the organization's role groups so that each holds exactly the
    Wagtail permissions its role's actions need. Safe to run any number of times."""
    site = organization.site
    root = site.root_page if site else None
    # The site's home page in every language: each language's page tree is the association's.
    roots = list(root.get_translations(inclusive=True)) if root is not None else None
    groups = []
    for role in Role:
        actions = actions_for(role=role, kind=organization.kind)
        if not actions & ADMIN_ACTIONS:
            RoleGroup.objects.filter(organization=organization, role=role).delete()
            continue
        group = _group(organization, role)
        group.permissions.set(
            _permissions({"wagtailadmin.access_admin"} | _union(MODEL_PERMISSIONS, actions))
        )
        _set_scoped_permissions(
            GroupPagePermission, group, "page", roots, _union(PAGE_PERMISSIONS, actions)
        )
        _set_scoped_permissions(
            GroupCollectionPermission,
            group,
            "collection",
            media_collection(organization=organization),
            _union(COLLECTION_PERMISSIONS, actions),
        )
        _set_scoped_permissions(
            GroupSitePermission, group, "site", site, _union(SITE_PERMISSIONS, actions)
        )
        groups.append(group)
    return groups


@transaction.atomic
def sync_user_groups(*, user) -> None:
    """Make the user's Attune-managed groups match their memberships. Groups that Attune
    does not manage (added by a superuser by hand) are left alone."""
    membership = Membership.objects.filter(
        user=user, organization_id=OuterRef("organization_id"), role=OuterRef("role")
    )
    wanted = set(RoleGroup.objects.filter(Exists(membership)).values_list("group_id", flat=True))
    managed = set(RoleGroup.objects.filter(group__user=user).values_list("group_id", flat=True))
    if managed - wanted:
        user.groups.remove(*(managed - wanted))
    if wanted - managed:
        user.groups.add(*(wanted - managed))
