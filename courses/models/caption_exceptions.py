"""Permission to publish a training although one of its recordings has no captions a person
has checked: explicit, per training and recording, with a reason, and kept when revoked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CaptionException(models.Model):
    """A reviewer's recorded decision that ``training`` may go live while ``recording`` has
    only automatic captions (or none yet). It covers that training only, not another one
    using the same recording. Revoking sets ``revoked_at``; rows are never deleted (the
    audit log also keeps both events)."""

    training = models.ForeignKey(
        "courses.TrainingPage", on_delete=models.CASCADE, related_name="caption_exceptions"
    )
    recording = models.ForeignKey(
        "media_pipeline.Recording", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=500)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("caption exception")
        verbose_name_plural = _("caption exceptions")
        constraints = [
            # One standing exception per training and recording: a double submit grants once.
            models.UniqueConstraint(
                fields=["training", "recording"],
                condition=Q(revoked_at__isnull=True),
                name="courses_one_standing_caption_exception",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="courses_caption_exception_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.training_id}/{self.recording_id}: {self.reason[:40]}"

    @property
    def is_standing(self) -> bool:
        return self.revoked_at is None
