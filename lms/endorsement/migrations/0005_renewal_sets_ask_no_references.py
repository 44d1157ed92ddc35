"""Shipped default renewal rule sets ask no reference raters and one reviewer (renewals are
checked, not rated). Sets an association has edited (no longer marked default) are left."""

from django.db import migrations


def renewals_without_references(apps, schema_editor):
    RequirementSet = apps.get_model("endorsement", "RequirementSet")
    RequirementSet.objects.filter(is_default=True, kind="renewal").update(
        raters_required=0, reviewers_required=1
    )


class Migration(migrations.Migration):
    dependencies = [("endorsement", "0004_exam_open_at_submission")]

    operations = [migrations.RunPython(renewals_without_references, migrations.RunPython.noop)]
