"""Post-tests and evaluation surveys become translatable (step 1 of 3): each gets a locale and
a translation key, empty until the next migration fills them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0013_spanish_locale"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        )
        for model in ("quiz", "evaluationsurvey")
    ] + [
        migrations.AddField(
            model_name=model,
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        )
        for model in ("quiz", "evaluationsurvey")
    ]
