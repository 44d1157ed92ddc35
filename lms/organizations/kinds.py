"""The kinds of organization, in a module of their own so that every model module reads them
without importing the others (``models`` re-exports them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    FACULTY_INSTITUTE = "faculty_institute", _("Faculty institute")
    CENTER = "center", _("Center")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
