"""What LTI Advantage services keep: grades owed to a platform, and a context's roster.

A grade delivery is a row before it is a message: the platform's gradebook hears of each
completion once, however often the task runs, and a platform that is down gets it when it
returns (the row's ``next_attempt_at`` survives a worker restart). A roster member is one
person of a platform's course (context) as its Names and Role service listed them: the
private cohort of that context, seen only by its instructors and the organization's admins.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GradeKind(models.TextChoices):
    PROGRESS = "progress", _("Progress (started)")
    COMPLETION = "completion", _("Completion")


class GradeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class GradeDelivery(models.Model):
    """One score for one learner on one line item of a platform's grade book."""

    launch = models.ForeignKey(
        "interop_lti.PlacementLaunch", on_delete=models.CASCADE, related_name="grade_deliveries"
    )
    # The line item when the score was queued (a later launch may name another one).
    lineitem_url = models.URLField(max_length=1000)
    record = models.ForeignKey(
        "records.TrainingRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lti_grade_deliveries",
    )
    kind = models.CharField(max_length=12, choices=GradeKind.choices)
    # Null for progress: the platform shows the activity as started, with no score.
    score_given = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_maximum = models.DecimalField(max_digits=6, decimal_places=2, default=100)
    # The moment the score stands for, fixed when queued: a retry sends the same timestamp,
    # so a platform that already has it keeps one result.
    timestamp = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=GradeStatus.choices, default=GradeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("LTI grade delivery")
        verbose_name_plural = _("LTI grade deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["launch", "lineitem_url", "kind"], name="interop_lti_one_grade_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="progress") | Q(score_given__isnull=False),
                name="interop_lti_completion_has_score",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} on {self.lineitem_url}"


class RosterMember(models.Model):
    """A member of a platform context, as its Names and Role Provisioning service lists them."""

    context = models.ForeignKey(
        "lti_tool.LtiContext", on_delete=models.CASCADE, related_name="roster_members"
    )
    sub = models.CharField(_("platform user ID"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lti_roster_memberships",
    )
    name = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    roles = models.JSONField(default=list, blank=True)
    is_learner = models.BooleanField(default=False)
    is_instructor = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "sub"]
        verbose_name = _("LTI roster member")
        verbose_name_plural = _("LTI roster members")
        constraints = [
            models.UniqueConstraint(fields=["context", "sub"], name="interop_lti_roster_once")
        ]

    def __str__(self):
        return self.name or self.sub


class RosterPullStatus(models.TextChoices):
    PULLING = "pulling", _("Pulling the roster…")
    DONE = "done", _("Pulled")
    FAILED = "failed", _("Failed")


class RosterPullError(models.TextChoices):
    NONE = "", _("None")
    NOT_SHARED = "not_shared", _("The platform does not share this course's roster.")
    NO_ANSWER = "no_answer", _("The platform did not answer.")


class RosterPull(models.Model):
    """A platform context's roster pull: the one under way (at most one per course: a second
    request while it runs is refused) and the result of the last one."""

    context = models.OneToOneField(
        "lti_tool.LtiContext", on_delete=models.CASCADE, related_name="attune_roster_pull"
    )
    status = models.CharField(max_length=12, choices=RosterPullStatus.choices)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The last pull that finished (kept while the next one runs).
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    members = models.PositiveIntegerField(null=True, blank=True)
    learners = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(
        max_length=12, choices=RosterPullError.choices, default=RosterPullError.NONE, blank=True
    )

    class Meta:
        verbose_name = _("LTI roster pull")
        verbose_name_plural = _("LTI roster pulls")

    def __str__(self):
        return f"{self.context}: {self.status}"
