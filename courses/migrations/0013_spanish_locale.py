"""Spanish is a content language: its locale exists, and its page tree follows the English
one (wagtail-localize's "sync from"), so each page is in the Spanish tree as an alias until an
editor translates it. Pages made before this sync are aliased by
``manage.py sync_locale_trees`` (wagtail-localize's command; the demo loader runs it)."""

from django.db import migrations


def add_spanish(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    english, _ = Locale.objects.get_or_create(language_code="en")
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    LocaleSynchronization.objects.get_or_create(locale=spanish, defaults={"sync_from": english})


def remove_spanish(apps, schema_editor):
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    LocaleSynchronization.objects.filter(locale__language_code="es").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0012_default_locale_en"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(add_spanish, remove_spanish)]
