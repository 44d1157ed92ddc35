"""Recordings, the attempts to transcode them and the renditions players are offered."""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .storage import pipeline_storage


def source_path(recording: "Recording", filename: str) -> str:
    """Where an upload is stored. Only a tidy extension of the uploaded name is kept, for
    people downloading the original; the pipeline decides what the file is from its content."""
    suffix = Path(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    return f"{recording.storage_prefix}/source/original{suffix}"


class RecordingStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PROBING = "probing", _("Checking the file")
    QUEUED = "queued", _("Waiting to be processed")
    TRANSCODING = "transcoding", _("Processing")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class Recording(models.Model):
    """An uploaded recording and what the pipeline learned and made from it.

    Moves uploaded → probing → queued → transcoding → ready, or ends rejected (the file is
    not a usable recording) or failed (we could not process it), through the service
    functions in ``media_pipeline.services`` only.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.MEDIA_PIPELINE_OWNER_MODEL,
        on_delete=models.PROTECT,
        related_name="recordings",
        help_text=_("The organization the recording belongs to."),
    )
    title = models.CharField(_("title"), max_length=255)
    source = models.FileField(storage=pipeline_storage, upload_to=source_path, max_length=500)
    original_filename = models.CharField(max_length=255, blank=True)
    source_size = models.PositiveBigIntegerField(default=0)

    status = models.CharField(
        max_length=16, choices=RecordingStatus.choices, default=RecordingStatus.UPLOADED
    )
    error = models.TextField(blank=True, help_text=_("Why the recording was rejected or failed."))
    progress = models.PositiveSmallIntegerField(
        default=0, help_text=_("Percent of the ladder done.")
    )
    attempts = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Transcode attempts that ended with a content error (the file's) since the "
            "recording was last queued."
        ),
    )
    infrastructure_retries = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Infrastructure faults (a lost worker, the database, the storage, a full "
            "disk) since the recording was last queued; they have a ceiling of their own."
        ),
    )

    # What the probe found.
    container = models.CharField(max_length=64, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text=_("Seconds."))
    width = models.PositiveIntegerField(null=True, blank=True, help_text=_("As displayed."))
    height = models.PositiveIntegerField(null=True, blank=True, help_text=_("As displayed."))
    rotation = models.PositiveSmallIntegerField(default=0)
    frame_rate = models.FloatField(null=True, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    audio_channels = models.PositiveSmallIntegerField(null=True, blank=True)
    probe = models.JSONField(default=dict, blank=True)

    # What players get: switched together, in one transaction, when an attempt succeeds.
    # DO_NOTHING, not SET_NULL: a ready recording must keep its published attempt (see the
    # constraint below), so deleting the recording takes it along with every other attempt,
    # and the database's foreign key refuses deleting it alone when the transaction commits.
    published_attempt = models.OneToOneField(
        "TranscodeAttempt", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    master_playlist = models.FileField(storage=pipeline_storage, max_length=500, blank=True)
    progressive = models.FileField(
        storage=pipeline_storage, max_length=500, blank=True, help_text=_("MP4 (or M4A) fallback.")
    )
    poster = models.FileField(storage=pipeline_storage, max_length=500, blank=True)
    allow_preview = models.BooleanField(
        _("free preview"),
        default=False,
        help_text=_(
            "Anyone who can see a published page showing this recording may watch it, "
            "signed in or not (a trailer, say). Otherwise only participants and staff may."
        ),
    )

    # The worker holding the recording, until when (see services.leases.acquire_lease).
    lease_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        indexes = [models.Index(fields=["status"], name="media_recording_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecordingStatus.values), name="media_recording_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="media_recording_progress"),
            models.CheckConstraint(
                condition=~Q(status=RecordingStatus.READY) | Q(published_attempt__isnull=False),
                name="media_recording_ready_is_published",
            ),
            models.CheckConstraint(
                condition=Q(lease_token="", lease_expires_at__isnull=True)
                | (~Q(lease_token="") & Q(lease_expires_at__isnull=False)),
                name="media_recording_lease_complete",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_playable(self) -> bool:
        """True once any rendition is published: the quick remux or the full ladder."""
        return bool(self.master_playlist)

    @property
    def storage_prefix(self) -> str:
        return f"recordings/{self.key}"


class AttemptKind(models.TextChoices):
    REMUX = "remux", _("Quick first play (stream copy)")
    LADDER = "ladder", _("Full adaptive ladder")


class AttemptStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a later attempt")
    FAILED = "failed", _("Failed")
    ABANDONED = "abandoned", _("Abandoned (its worker stopped)")


class AttemptCause(models.TextChoices):
    CONTENT = "content", _("Content (the file)")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure (ours)")


class TranscodeAttempt(models.Model):
    """One ffmpeg run for a recording, writing under its own storage prefix."""

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="transcode_attempts"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=AttemptKind.choices)
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.RUNNING
    )
    output_prefix = models.CharField(max_length=255)
    worker = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    exit_code = models.IntegerField(null=True, blank=True)
    stderr_tail = models.TextField(blank=True)
    error = models.TextField(blank=True)
    cause = models.CharField(
        max_length=16,
        choices=AttemptCause.choices,
        blank=True,
        help_text=_("Why an attempt that did not publish ended: the file's fault or ours."),
    )
    wall_seconds = models.FloatField(null=True, blank=True)
    files_removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["recording", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "number"], name="media_attempt_number_unique"
            ),
            # Two attempts never run at once, and at most one is what players get.
            models.UniqueConstraint(
                fields=["recording"],
                condition=Q(status=AttemptStatus.RUNNING),
                name="media_attempt_one_running",
            ),
            models.UniqueConstraint(
                fields=["recording"],
                condition=Q(status=AttemptStatus.SUCCEEDED),
                name="media_attempt_one_published",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AttemptKind.values), name="media_attempt_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttemptStatus.values), name="media_attempt_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(cause__in=["", *AttemptCause.values]), name="media_attempt_cause_valid"
            ),
        ]

    def __str__(self):
        return f"{self.recording} attempt {self.number} ({self.kind})"


class RenditionKind(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class Rendition(models.Model):
    """One stream of the published HLS: a rung of the ladder or the shared audio."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="renditions")
    attempt = models.ForeignKey(
        TranscodeAttempt, on_delete=models.CASCADE, related_name="renditions"
    )
    name = models.CharField(max_length=16)
    kind = models.CharField(max_length=8, choices=RenditionKind.choices)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bandwidth = models.PositiveIntegerField(
        help_text=_("Peak bits per second, as in the playlist.")
    )
    codecs = models.CharField(max_length=100, blank=True)
    playlist = models.FileField(storage=pipeline_storage, max_length=500)

    class Meta:
        ordering = ["recording", "-height", "name"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "name"], name="media_rendition_unique"),
            models.CheckConstraint(
                condition=Q(kind=RenditionKind.AUDIO, width=0, height=0)
                | Q(kind=RenditionKind.VIDEO, width__gt=0, height__gt=0),
                name="media_rendition_dimensions",
            ),
        ]

    def __str__(self):
        return f"{self.recording} {self.name}"


def caption_path(caption: "Caption", filename: str) -> str:
    return (
        f"{caption.recording.storage_prefix}/captions/{caption.language}-{uuid.uuid4().hex[:8]}.vtt"
    )


class CaptionState(models.TextChoices):
    """Where a track's words come from. Only ``reviewed`` and ``uploaded`` tracks have been
    checked by a person; automatic ones are speech recognition's unreviewed guess."""

    AUTOMATIC = "automatic", _("Automatic (not reviewed)")
    REVIEWED = "reviewed", _("Reviewed")
    UPLOADED = "uploaded", _("Uploaded")


class Caption(models.Model):
    """A recording's WebVTT caption track in one language (SRT uploads are converted).

    Changed only through :mod:`media_pipeline.services.captioning`, which keeps every
    earlier version and the plain text (for search and the transcript download)."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(
        max_length=16, help_text=_("A language tag such as en, es or en-US.")
    )
    label = models.CharField(
        max_length=64, help_text=_("What viewers pick in the player, e.g. English.")
    )
    file = models.FileField(storage=pipeline_storage, upload_to=caption_path, max_length=500)
    cue_count = models.PositiveIntegerField(default=0)
    state = models.CharField(
        max_length=16, choices=CaptionState.choices, default=CaptionState.UPLOADED
    )
    text = models.TextField(blank=True, help_text=_("The cues' words, for search and transcripts."))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recording", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "language"], name="media_caption_one_per_language"
            ),
            models.CheckConstraint(
                condition=Q(language__regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
                name="media_caption_language_tag",
            ),
            models.CheckConstraint(
                condition=Q(state__in=CaptionState.values), name="media_caption_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.recording} ({self.label})"

    @property
    def is_checked_by_a_person(self) -> bool:
        return self.state != CaptionState.AUTOMATIC


class CaptionVersion(models.Model):
    """One saved state of a caption track: who saved it, when, as what, and its WebVTT."""

    caption = models.ForeignKey(Caption, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=CaptionState.choices)
    webvtt = models.TextField()
    cue_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the worker's automatic captions."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["caption", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["caption", "number"], name="media_caption_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.caption} v{self.number}"


class CaptionJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be captioned")
    RUNNING = "running", _("Captioning")
    DONE = "done", _("Captioned")
    EMPTY = "empty", _("No speech found")
    SKIPPED = "skipped", _("Not needed")
    FAILED = "failed", _("Captioning failed")


class CaptionJob(models.Model):
    """Automatic captioning of a recording in one language by the worker's speech engine.

    Runs after the ladder on the transcode queue and never holds playback up. Resumable:
    ``words`` keeps what was recognised up to ``processed_seconds`` of audio, so a worker
    that takes over continues from there."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="caption_jobs")
    language = models.CharField(max_length=16, default="en")
    engine = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=CaptionJobStatus.choices, default=CaptionJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent of the audio."))
    processed_seconds = models.FloatField(default=0)
    words = models.JSONField(
        default=list, blank=True, help_text=_("[start, end, word] recognised so far.")
    )
    note = models.TextField(blank=True, help_text=_("What an editor should know of the result."))
    attempts = models.PositiveIntegerField(default=0)
    lease_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Touched by every change, so the sweep can tell a job whose message was lost.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recording", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "language"], name="media_caption_job_one_per_language"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaptionJobStatus.values),
                name="media_caption_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="media_caption_job_progress"
            ),
        ]

    def __str__(self):
        return f"{self.recording} captions ({self.language}): {self.get_status_display()}"


class UploadBackend(models.TextChoices):
    LOCAL = "local", _("Through Attune (private folder)")
    S3 = "s3", "Straight to the bucket (S3 multipart)"


class UploadStatus(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    COMPLETED = "completed", _("Completed")
    CANCELED = "canceled", _("Canceled")


class UploadSession(models.Model):
    """One resumable upload: the browser sends parts (to Attune or straight to the bucket),
    and the parts already received are kept here, so a reloaded page or a dropped
    connection resumes without sending them again.

    Moves uploading → completed (a recording exists) or uploading → canceled, through
    ``media_pipeline.uploads`` only.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.MEDIA_PIPELINE_OWNER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=255)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    last_modified = models.BigIntegerField(
        default=0,
        help_text=_("The file's modification time in the browser (ms), to match it again."),
    )
    part_size = models.PositiveBigIntegerField()
    backend = models.CharField(max_length=8, choices=UploadBackend.choices)
    # Where the upload is assembled: a storage name (embedded) or the S3 object key.
    storage_name = models.CharField(max_length=500)
    s3_upload_id = models.CharField(max_length=1024, blank=True)
    status = models.CharField(
        max_length=12, choices=UploadStatus.choices, default=UploadStatus.UPLOADING
    )
    recording_key = models.UUIDField(
        default=uuid.uuid4, help_text=_("The key the new recording gets (its storage prefix).")
    )
    replaces = models.ForeignKey(
        Recording,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replacement_uploads",
        help_text=_("The recording whose source this upload replaces."),
    )
    recording = models.ForeignKey(
        Recording, on_delete=models.SET_NULL, null=True, blank=True, related_name="uploads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=UploadStatus.values), name="media_upload_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(backend__in=UploadBackend.values), name="media_upload_backend_valid"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="media_upload_size_positive"),
            models.CheckConstraint(condition=Q(part_size__gt=0), name="media_upload_part_size"),
            models.CheckConstraint(
                condition=~Q(backend=UploadBackend.S3) | ~Q(s3_upload_id=""),
                name="media_upload_s3_has_upload_id",
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def part_count(self) -> int:
        return max(1, -(-self.size // self.part_size))

    def expected_part_size(self, number: int) -> int:
        if number < self.part_count:
            return self.part_size
        return self.size - self.part_size * (self.part_count - 1)


class UploadPart(models.Model):
    """A part the server has (embedded) or the browser reported stored (S3, with its ETag)."""

    session = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    etag = models.CharField(max_length=128, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # How often the part arrived: more than once means a browser sent it again.
    times_received = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="media_upload_part_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="media_upload_part_number"),
        ]

    def __str__(self):
        return f"part {self.number} of {self.session}"
