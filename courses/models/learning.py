"""Enrollment, progress, watch evidence and attendance: what a learner did in a training."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waitlist")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


CURRENT_STATUSES = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.COMPLETED,
)


class EnrollmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ACCESS_CODE = "access_code", _("Access code")
    SEAT = "seat", _("Center seat")
    REGISTRATION = "registration", _("Event registration")
    PURCHASE = "purchase", _("Purchase")


class Enrollment(models.Model):
    """A learner in a training. Moves only through ``courses.services.enrollment``:
    waitlisted → active → completed, and active or waitlisted → cancelled."""

    # A learner's work outlives any page or account change: deleting a user goes through
    # erasure, and deleting a training with enrollments archives it (``services.archive``).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    training = models.ForeignKey(
        "courses.TrainingPage", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        max_length=12, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    source = models.CharField(max_length=12, choices=EnrollmentSource.choices)
    access_code = models.ForeignKey(
        "courses.AccessCode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    seat_ref = models.CharField(
        max_length=120, blank=True, help_text=_("The center seat this enrollment uses.")
    )
    # The paid order line (commerce.OrderLine) a purchase came from: an id, not a foreign
    # key, since payments sit above courses and orders are kept apart from enrollments.
    order_line_id = models.PositiveBigIntegerField(null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    record = models.ForeignKey(
        "records.TrainingRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where to pick up again: the lesson last opened.
    resume_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # Set while the training is archived (no longer offered): the enrollment, its progress
    # and its record are kept as they were, and come back when the training is restored.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_reason = models.CharField(max_length=255, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-enrolled_at"]
        indexes = [models.Index(fields=["training", "status"], name="courses_enroll_train_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "training"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="courses_one_current_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="courses_enrollment_status"
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrollmentStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="courses_completed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.learner} in {self.training_id} ({self.status})"


class AccessCode(models.Model):
    """A code that lets people enroll in a training that is not open to everyone."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="access_codes"
    )
    training = models.ForeignKey(
        "courses.TrainingPage", on_delete=models.CASCADE, related_name="access_codes"
    )
    code = models.CharField(
        max_length=40, unique=True, help_text=_("What learners type. Letters, digits and hyphens.")
    )
    label = models.CharField(max_length=120, blank=True, help_text=_("e.g. Spring cohort."))
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text=_("Blank: no limit."))
    expires_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    covers_fee = models.BooleanField(
        _("covers the fee"),
        default=False,
        help_text=_("For a paid training: the code enrolls without paying (e.g. a scholarship)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.code


class LessonStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    # A lesson deleted from its course leaves the learner's progress in place.
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=LessonStatus.choices, default=LessonStatus.IN_PROGRESS
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="courses_lesson_once"),
        ]

    def __str__(self):
        return f"{self.enrollment} · lesson {self.lesson_id}: {self.status}"


class WatchProgress(models.Model):
    """Unique seconds a learner watched of one recording, with the evidence behind them.

    Written only by the heartbeat service, which applies ``courses.watch``.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="watch_progress"
    )
    recording = models.ForeignKey(
        "media_pipeline.Recording", on_delete=models.PROTECT, related_name="+"
    )
    duration = models.FloatField(help_text="Seconds, as probed when watching began.")
    ranges = models.JSONField(default=list, help_text="Merged credited ranges, in seconds.")
    watched_seconds = models.FloatField(default=0)
    balance = models.FloatField(default=0, help_text="Credit seconds not yet used.")
    sessions = models.JSONField(default=dict, help_text="Page session → last beat number.")
    beats = models.PositiveIntegerField(default=0)
    first_beat_at = models.DateTimeField(null=True, blank=True)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    wall_seconds = models.FloatField(default=0)
    claimed_seconds = models.FloatField(default=0)
    uncredited_seconds = models.FloatField(default=0)
    max_rate_claimed = models.FloatField(default=0)
    position = models.FloatField(default=0, help_text="Where playback last was, to resume.")
    coverage_reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "recording"], name="courses_watch_once"),
            models.CheckConstraint(
                condition=Q(watched_seconds__gte=0), name="courses_watch_nonnegative"
            ),
        ]

    def __str__(self):
        return f"{self.learner} · recording {self.recording_id}"

    @property
    def coverage(self) -> float:
        return min(self.watched_seconds / self.duration, 1.0) if self.duration else 0.0


class AttendanceSource(models.TextChoices):
    IMPORT = "import", _("Participant report")
    MANUAL = "manual", _("Entered by the facilitator")


class Attendance(models.Model):
    """How long a registrant attended a live event."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="attendance"
    )
    minutes = models.PositiveIntegerField()
    first_join = models.DateTimeField(null=True, blank=True)
    last_leave = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    import_batch = models.ForeignKey(
        "courses.AttendanceImport", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.enrollment}: {self.minutes} min"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class AttendanceImport(models.Model):
    """A participant report as read, awaiting the facilitator's confirmation."""

    event = models.ForeignKey(
        "courses.LiveEventPage", on_delete=models.CASCADE, related_name="attendance_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # One entry per row of the file: {"line", "email", "name", "outcome", "message", ...}
    rows = models.JSONField(default=list)
    # enrollment id -> {"minutes", "first_join", "last_leave", "email"}
    matched = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or _('Participant report')} ({self.get_status_display()})"
