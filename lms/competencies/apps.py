from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "lms.competencies"
    label = "competencies"
    verbose_name = "Competencies"
