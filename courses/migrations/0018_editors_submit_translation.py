"""Editors start translations of their association's pages: Attune's groups that may add
pages (the editors') hold wagtail-localize's "submit translation" permission. Groups synced
before that was in the table, or after a flush lost the permission, get it here (later
syncs keep it: ``courses.services.access``)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    submit, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    editors = Group.objects.filter(
        attune_role__isnull=False,
        page_permissions__permission__content_type__app_label="wagtailcore",
        page_permissions__permission__codename="add_page",
    ).distinct()
    for group in editors:
        group.permissions.add(submit)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0017_verbose_names_plural"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
