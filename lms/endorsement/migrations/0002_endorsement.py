"""HeldEndorsement becomes Endorsement: one model for endorsements entered by their holder
and endorsements granted through an application, with a renewal due date, a registry opt-in
and a random verification id. Existing rows are kept (as entered by the holder)."""

import uuid

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def give_verification_ids(apps, schema_editor):
    Endorsement = apps.get_model("endorsement", "Endorsement")
    for pk in Endorsement.objects.values_list("pk", flat=True):
        Endorsement.objects.filter(pk=pk).update(verification_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("endorsement", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("HeldEndorsement", "Endorsement"),
        migrations.AlterField(
            model_name="endorsement",
            name="learner",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="endorsements",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="endorsement",
            name="endorsed_on",
            field=models.DateField(verbose_name="issued on"),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="renewal_due",
            field=models.DateField(
                blank=True,
                null=True,
                help_text="When the next renewal is due (from the renewal rules' cycle). Empty "
                "when the association has no renewal rules for the category.",
            ),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="source",
            field=models.CharField(
                choices=[
                    ("self_reported", "Entered by the holder"),
                    ("application", "Granted through an application in Attune"),
                ],
                default="self_reported",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="listed_in_registry",
            field=models.BooleanField(
                default=False, verbose_name="list me in the association's public registry"
            ),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="endorsement",
            name="verification_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_verification_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="endorsement",
            name="verification_id",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                unique=True,
                help_text="Public identifier for verification (a random UUID: 122 random bits).",
            ),
        ),
    ]
