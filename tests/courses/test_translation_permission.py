"""An association's editors may start translations (wagtail-localize's "submit translation"
permission, held by their group), even in a database that was flushed since it was migrated:
that permission comes from a data migration, which a flush undoes."""

import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.sql import emit_post_migrate_signal

from courses.models import RoleGroup
from lms.organizations.models import Role
from tests.courses.factories import member

SUBMIT = "wagtail_localize.submit_translation"


def reload(user):
    return get_user_model().objects.get(pk=user.pk)


def forget_the_permission():
    """What ``manage.py flush`` does to it."""
    Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).delete()


def test_after_a_flush_editors_still_may_start_translations(great_lakes):
    forget_the_permission()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    editor = member(great_lakes, Role.EDITOR)
    staff = member(great_lakes, Role.STAFF)
    assert reload(editor).has_perm(SUBMIT)
    assert not reload(staff).has_perm(SUBMIT)


def test_the_migration_gives_existing_editor_groups_the_permission(great_lakes):
    editor = member(great_lakes, Role.EDITOR)
    reviewer = member(great_lakes, Role.REVIEWER)
    reviewers = RoleGroup.objects.get(organization=great_lakes, role=Role.REVIEWER).group
    editors = RoleGroup.objects.get(organization=great_lakes, role=Role.EDITOR).group
    editors.permissions.remove(*Permission.objects.filter(codename="submit_translation"))
    assert not reload(editor).has_perm(SUBMIT)

    migration = importlib.import_module("courses.migrations.0018_editors_submit_translation")
    migration.grant(apps, None)

    assert reload(editor).has_perm(SUBMIT)
    assert not reviewers.permissions.filter(codename="submit_translation").exists()
    assert not reload(reviewer).has_perm(SUBMIT)
