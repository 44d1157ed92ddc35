"""Status list indexes are drawn at random: the list keeps how many entries it gave out."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_credential_status"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="credentialstatuslist", name="records_status_list_not_over_full"
        ),
        migrations.RenameField(
            model_name="credentialstatuslist", old_name="next_index", new_name="entry_count"
        ),
        migrations.AddConstraint(
            model_name="credentialstatuslist",
            constraint=models.CheckConstraint(
                condition=Q(entry_count__lte=65536), name="records_status_list_not_over_full"
            ),
        ),
    ]
