"""Trainings taken out of the catalog with their learners' work kept: what "delete" does to a
training that has enrollments (see ``courses.services.archive``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingArchive(models.Model):
    """A training that is no longer offered. While this row exists the page is unpublished,
    cannot be published again, and its enrollments are marked archived; restoring deletes
    the row and puts back what it recorded."""

    training = models.OneToOneField(
        "courses.TrainingPage", on_delete=models.PROTECT, related_name="archive"
    )
    archived_at = models.DateTimeField()
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    # Page id -> the revision that was live when archived (the training and its lessons), so
    # that restoring publishes exactly what learners saw, not a later draft.
    live_revisions = models.JSONField(default=dict, blank=True)
    # The title at the time, for the archive's listing and the audit log.
    title = models.CharField(max_length=255)

    class Meta:
        ordering = ["-archived_at"]
        verbose_name = _("archived training")
        verbose_name_plural = _("archived trainings")

    def __str__(self):
        return self.title
