"""Post-tests and evaluation surveys become translatable (step 2 of 3): every one that exists
is a source in the default language, with a translation key of its own."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [("courses", "0014_quiz_survey_locale")]

    operations = [
        BootstrapTranslatableModel("courses.Quiz"),
        BootstrapTranslatableModel("courses.EvaluationSurvey"),
    ]
