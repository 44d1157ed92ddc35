"""Shipped default rule sets let the exam be open when applying: reviewers approve an
applicant to sit it. Sets an association has edited (no longer marked default) are left."""

from django.db import migrations


def exam_may_be_open(apps, schema_editor):
    RequirementRule = apps.get_model("endorsement", "RequirementRule")
    RequirementRule.objects.filter(
        requirement_set__is_default=True, kind="checklist", checklist_item="exam"
    ).update(open_at_submission=True)


class Migration(migrations.Migration):
    dependencies = [("endorsement", "0003_applications_and_integrations")]

    operations = [migrations.RunPython(exam_may_be_open, migrations.RunPython.noop)]
