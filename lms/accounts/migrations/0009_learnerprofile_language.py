from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_caption_preferences"),
    ]

    operations = [
        migrations.AddField(
            model_name="learnerprofile",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("es", "Español")],
                help_text=(
                    "Pages, e-mails and certificates in this language where the site offers "
                    "it. Leave empty to follow your browser."
                ),
                max_length=8,
                verbose_name="Language",
            ),
        ),
    ]
