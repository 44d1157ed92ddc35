"""LTI 1.3 as Attune's tenants use it.

django-lti (``lti_tool``) keeps the protocol's own rows: registrations, deployments, platform
users, contexts (with their roster and grade-book URLs) and resource links. Here is what
Attune adds: which organization owns a registration, what each resource link opens and the
grade-book line item it reports to, and which Attune learner launched which link.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlatformConnection(models.Model):
    """A learning platform (Canvas, Moodle, Brightspace…) connected to one organization.

    Learners who arrive from it are that organization's: they may open its trainings and
    the library modules it may use, and nothing of another tenant's."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="lti_connections",
        verbose_name=_("organization"),
    )
    registration = models.OneToOneField(
        "lti_tool.LtiRegistration",
        on_delete=models.CASCADE,
        related_name="attune_connection",
        verbose_name=_("registration"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organization__name", "registration__name"]
        verbose_name = _("learning platform connection")
        verbose_name_plural = _("learning platform connections")

    def __str__(self):
        return f"{self.registration.name} ({self.organization})"


def _registration_token() -> str:
    return secrets.token_urlsafe(32)


class DynamicRegistration(models.Model):
    """A one-time link an admin hands to a platform that supports LTI Dynamic Registration.

    The platform opens it with its OpenID configuration; Attune registers itself there and
    the link is used up."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the platform")
        USED = "used", _("Used")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="lti_dynamic_registrations",
    )
    token = models.CharField(max_length=64, unique=True, default=_registration_token)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    connection = models.OneToOneField(
        PlatformConnection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organization}: {self.get_status_display()}"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.OPEN and self.expires_at > timezone.now()


class Placement(models.Model):
    """What one resource link of a platform opens in Attune, and the platform's grade-book
    column (AGS line item) for it when the platform offers one."""

    resource_link = models.OneToOneField(
        "lti_tool.LtiResourceLink",
        on_delete=models.CASCADE,
        related_name="attune_placement",
    )
    connection = models.ForeignKey(
        PlatformConnection, on_delete=models.CASCADE, related_name="placements"
    )
    # Exactly one of the three targets below (a lesson's training is set too).
    training = models.ForeignKey(
        "courses.TrainingPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lti_placements",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lti_placements",
    )
    module = models.ForeignKey(
        "courses.LibraryModule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lti_placements",
    )
    # The AGS claim of the latest launch: the line item to post scores to, and the scopes.
    lineitem_url = models.URLField(max_length=1000, blank=True)
    lineitems_url = models.URLField(max_length=1000, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LTI placement")
        verbose_name_plural = _("LTI placements")

    def __str__(self):
        return str(self.resource_link)


class PlacementLaunch(models.Model):
    """An Attune learner launched a placement (the latest launch's time is kept)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="launches")
    lti_user = models.ForeignKey(
        "lti_tool.LtiUser", on_delete=models.CASCADE, related_name="attune_launches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_launches"
    )
    first_launched_at = models.DateTimeField(default=timezone.now)
    last_launched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "lti_user"], name="interop_lti_launch_once_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.placement}"


from .models_services import GradeDelivery, RosterMember, RosterPull  # noqa: E402, F401
