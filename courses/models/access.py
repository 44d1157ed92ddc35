"""The Wagtail groups and media collections Attune keeps per organization (and role), which
``services.access`` derives from memberships."""

from django.contrib.auth.models import Group
from django.db import models

from lms.organizations.models import Role


class RoleGroup(models.Model):
    """The Wagtail group that holds everyone with one role in one organization.

    Attune derives these groups and their page, collection and site permissions from
    memberships and the permission table; they are never edited by hand.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="attune_role")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role"], name="courses_one_group_per_org_role"
            ),
        ]

    def __str__(self):
        return self.group.name


class OrganizationCollection(models.Model):
    """The image and document collection that holds one organization's media."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="media_collection"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return str(self.collection)
