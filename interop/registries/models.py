"""What registry reporting keeps: the registries an association reports to (with its
sponsor ID in each), a training's event or course ID in a registry, and each learner's own
ID in a registry. Registries themselves are settings (``formats``), named here by code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationRegistry(models.Model):
    """An association reports rosters to this registry as the sponsor ``sponsor_id``."""

    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    registry = models.CharField(_("registry"), max_length=40)
    sponsor_id = models.CharField(_("sponsor or organization ID"), max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registry an association reports to")
        ordering = ["registry"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "registry"], name="registries_one_sponsor_id"
            ),
            models.CheckConstraint(
                condition=~models.Q(sponsor_id=""), name="registries_sponsor_id_given"
            ),
        ]

    def __str__(self):
        return f"{self.association_id} → {self.registry} ({self.sponsor_id})"


class TrainingRegistryEvent(models.Model):
    """The ID a registry gave one training (its event or course number there)."""

    training = models.ForeignKey("courses.TrainingPage", on_delete=models.CASCADE, related_name="+")
    registry = models.CharField(_("registry"), max_length=40)
    event_id = models.CharField(_("registry event ID"), max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training's registry event ID")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "registry"], name="registries_one_event_id"
            ),
            models.CheckConstraint(
                condition=~models.Q(event_id=""), name="registries_event_id_given"
            ),
        ]

    def __str__(self):
        return f"{self.training_id} in {self.registry}: {self.event_id}"


class LearnerRegistryId(models.Model):
    """A learner's own ID in a registry, entered by them. Shown to them, and to the
    associations they share their records with, in those associations' roster exports."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    registry = models.CharField(_("registry"), max_length=40)
    registry_id = models.CharField(_("registry ID"), max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner's registry ID")
        constraints = [
            models.UniqueConstraint(fields=["learner", "registry"], name="registries_one_id"),
            models.CheckConstraint(condition=~models.Q(registry_id=""), name="registries_id_given"),
        ]

    def __str__(self):
        return f"{self.learner_id} in {self.registry}"
