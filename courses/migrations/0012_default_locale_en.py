"""The default language is now plain "en" (Spanish and other languages sit beside it), so a
database made when it was "en-us" has its locale renamed; every page keeps its locale row."""

from django.db import migrations


def rename_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    if not Locale.objects.filter(language_code="en").exists():
        Locale.objects.filter(language_code="en-us").update(language_code="en")


def restore_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    if not Locale.objects.filter(language_code="en-us").exists():
        Locale.objects.filter(language_code="en").update(language_code="en-us")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_caption_exceptions"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(rename_locale, restore_locale)]
