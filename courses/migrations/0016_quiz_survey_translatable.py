"""Post-tests and evaluation surveys become translatable (step 3 of 3): every one has a locale
and a translation key, one translation per language, and a post-test's identifier is unique
per organization and language (a translation shares its source's)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0015_quiz_survey_locale_fill"),
        ("organizations", "0005_retention_and_protected_people"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="quiz",
            name="courses_quiz_slug_per_org",
        ),
        migrations.AlterField(
            model_name="evaluationsurvey",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="evaluationsurvey",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="quiz",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="quiz",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="evaluationsurvey",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AlterUniqueTogether(
            name="quiz",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="quiz",
            constraint=models.UniqueConstraint(
                fields=("organization", "slug", "locale"), name="courses_quiz_slug_per_org_locale"
            ),
        ),
    ]
