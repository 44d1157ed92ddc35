from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "lms.organizations"
    label = "organizations"
    verbose_name = "Organizations"
