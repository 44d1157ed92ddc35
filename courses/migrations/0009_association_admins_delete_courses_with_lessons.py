"""Association administrators may delete a course with its lessons (Wagtail's bulk delete
page permission on their site), now that deleting a training with learners archives it and
pages holding learners' work refuse deletion. New and saved organizations get it from
``courses.services.access``; this gives it to the groups that exist."""

from django.db import migrations


def grant(apps, schema_editor):
    RoleGroup = apps.get_model("courses", "RoleGroup")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="bulk_delete_page"
    ).first()
    if permission is None:  # a fresh database: permissions are created after migrating
        return
    groups = RoleGroup.objects.filter(
        role="admin", organization__kind="association", organization__site__isnull=False
    ).select_related("organization__site")
    for role_group in groups:
        GroupPagePermission.objects.get_or_create(
            group_id=role_group.group_id,
            page_id=role_group.organization.site.root_page_id,
            permission=permission,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_training_archive_and_protected_work"),
        ("organizations", "0005_retention_and_protected_people"),
        ("wagtailcore", "__latest__"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
