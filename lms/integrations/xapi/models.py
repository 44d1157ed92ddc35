"""An association's learning record store, and the outbox of statements for it.

The store's secret is kept only encrypted (``secrets``); a statement is a row from the moment
it is made until the store has it, so an LRS that is down loses nothing: rows wait, due, for
the next batch."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SUCCEEDED = "succeeded", _("In the LRS")
    FAILED = "failed", _("Gave up")
    CANCELLED = "cancelled", _("Dropped")


class XapiVersion(models.TextChoices):
    V1_0_3 = "1.0.3", _("xAPI 1.0.3")
    V2_0_0 = "2.0.0", _("xAPI 2.0 (IEEE 9274.1.1)")


class LearningRecordStore(models.Model):
    """Where one association's statements go: an xAPI endpoint and its Basic credentials."""

    association = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="learning_record_store",
    )
    endpoint = models.URLField(
        _("endpoint"),
        max_length=500,
        help_text=_("The LRS's xAPI base URL, e.g. https://lrs.example.org/xAPI/."),
    )
    key = models.CharField(_("key"), max_length=200, help_text=_("The Basic-auth user name."))
    secret_encrypted = models.TextField(editable=False, blank=True)
    version = models.CharField(
        _("xAPI version"), max_length=8, choices=XapiVersion.choices, default=XapiVersion.V1_0_3
    )
    is_active = models.BooleanField(_("send statements"), default=False)
    share_email = models.BooleanField(
        _("identify learners by e-mail"),
        default=False,
        help_text=_(
            "Off: the LRS sees a stable pseudonymous id per learner. On: their e-mail address."
        ),
    )
    # The lease of a batch queued or being sent: while it holds, no other batch is queued.
    queued_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning record store")
        verbose_name_plural = _("learning record stores")
        constraints = [
            models.CheckConstraint(
                condition=Q(version__in=["1.0.3", "2.0.0"]), name="integrations_lrs_known_version"
            ),
        ]

    def __str__(self):
        return self.endpoint

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"

    @property
    def about_url(self) -> str:
        return self.endpoint.rstrip("/") + "/about"


class XapiStatement(models.Model):
    """One statement for one store: pending until the store accepts it. The statement id is
    derived from the event (uuid5), so a retry, a second beat or a second worker never makes
    a second statement."""

    store = models.ForeignKey(
        LearningRecordStore, on_delete=models.CASCADE, related_name="statements"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    statement_id = models.UUIDField()
    verb = models.CharField(max_length=40)
    body = models.JSONField()
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is due; while a batch sends it, the end of that batch's lease.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "statement_id"], name="integrations_xapi_statement_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed", "cancelled"]),
                name="integrations_xapi_known_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
                name="integrations_xapi_pending_is_scheduled",
            ),
        ]
        indexes = [
            models.Index(
                fields=["store", "status", "next_attempt_at"], name="integrations_xapi_due"
            ),
            models.Index(fields=["learner", "status"], name="integrations_xapi_learner"),
        ]

    def __str__(self):
        return f"{self.verb} {self.statement_id} ({self.status})"
