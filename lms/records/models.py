"""Training records: the evidence a professional carries into an endorsement application.

A record is written once, when it is issued, and never changed in place: corrections are
``RecordAmendment`` rows (reason, who, when, the changed values) and revocation keeps the
row and marks it revoked. ``TrainingRecord.save`` refuses any change to an issued record's
evidence fields, so no code path can quietly rewrite history.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet

from .immutability import AppendOnly, ImmutableRecordError


class VerificationTier(models.TextChoices):
    PLATFORM_VERIFIED = "platform_verified", _("Platform-verified")
    ATTENDANCE_VERIFIED = "attendance_verified", _("Attendance-verified")
    PROVIDER_ATTESTED = "provider_attested", _("Provider-attested")
    SELF_REPORTED = "self_reported", _("Self-reported")


class DeliveryFormat(models.TextChoices):
    SELF_PACED = "self_paced", _("Online, self-paced")
    LIVE_WEBINAR = "live_webinar", _("Live webinar")
    RECORDED_WEBINAR = "recorded_webinar", _("Recorded webinar")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class RecordStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class RecordAgeBand(models.TextChoices):
    NONE = "", _("Not age-specific")
    INFANT = "infant", _("Infant (pregnancy to 36 months)")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood (3 to 6 years)")
    BOTH = "both", _("Infant and early childhood")


class RecordQuerySet(PolymorphicQuerySet):
    def update(self, **kwargs):
        # Bulk updates bypass ``save``; allow only the fields that may change after issue.
        allowed = set(self.model.base_mutable_fields)
        refused = sorted(set(kwargs) - allowed)
        if refused:
            raise ImmutableRecordError(
                f"Issued records cannot be changed in bulk: {', '.join(refused)}."
            )
        return super().update(**kwargs)

    def delete(self):
        raise ImmutableRecordError("Training records are kept forever; revoke one instead.")


class RecordManager(PolymorphicManager.from_queryset(RecordQuerySet)):
    pass


class TrainingRecord(PolymorphicModel):
    """One completed training, RSC session or other learning, with its evidence snapshot."""

    verification_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Public identifier for /verify/<id> (a random UUID: 122 random bits).",
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    source_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Identifies what issued the record (e.g. a course run) so issuing is "
        "idempotent per learner and source.",
    )
    title = models.CharField(max_length=255)
    topic = models.CharField(max_length=255, blank=True)
    provider_name = models.CharField(max_length=200)
    provider_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_records",
    )
    completed_on = models.DateField()
    duration_hours = models.DecimalField(max_digits=6, decimal_places=2)
    delivery_format = models.CharField(max_length=20, choices=DeliveryFormat.choices)
    age_band = models.CharField(
        max_length=20, choices=RecordAgeBand.choices, blank=True, default=""
    )
    sub_area_codes = models.JSONField(default=list, blank=True)
    dei = models.BooleanField(_("DEI content"), default=False)
    rsc_topic = models.BooleanField(_("About reflective supervision/consultation"), default=False)
    training_url = models.URLField(max_length=500, blank=True)
    verification_tier = models.CharField(max_length=24, choices=VerificationTier.choices)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.VALID
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who entered the record (empty when the platform issued it).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = RecordManager()

    # Everything else is evidence and fixed at issue. Subtypes may widen this set.
    base_mutable_fields = (
        "status",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "modified_at",
        "polymorphic_ctype",
    )
    mutable_fields: tuple[str, ...] = base_mutable_fields

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "source_key"],
                condition=~Q(source_key=""),
                name="records_one_record_per_learner_source",
            ),
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0), name="records_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="valid", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="records_revoked_has_time",
            ),
            models.CheckConstraint(
                condition=Q(
                    verification_tier__in=[
                        "platform_verified",
                        "attendance_verified",
                        "provider_attested",
                        "self_reported",
                    ]
                ),
                name="records_known_verification_tier",
            ),
        ]
        indexes = [models.Index(fields=["learner", "completed_on"])]

    def __str__(self):
        return f"{self.title} ({self.completed_on:%Y-%m-%d})"

    @property
    def is_revoked(self) -> bool:
        return self.status == RecordStatus.REVOKED

    @property
    def kind_label(self) -> str:
        name = str(self.get_real_instance_class()._meta.verbose_name)
        return name[:1].upper() + name[1:]

    def _immutable_attnames(self) -> list[str]:
        mutable = set(type(self).mutable_fields)
        return [
            f.attname
            for f in self._meta.concrete_fields
            if not f.primary_key
            and f.name not in mutable
            and f.attname not in mutable
            and not getattr(f, "parent_link", False)
            and not isinstance(f, models.OneToOneField)
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            attnames = self._immutable_attnames()
            stored = type(self).objects.non_polymorphic().filter(pk=self.pk).values(*attnames)
            stored = stored.first()
            if stored is not None:
                changed = [
                    name
                    for name in attnames
                    if _comparable(stored[name]) != _comparable(getattr(self, name))
                ]
                if changed:
                    raise ImmutableRecordError(
                        "An issued record cannot be changed; record an amendment instead "
                        f"(changed: {', '.join(sorted(changed))})."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Training records are kept forever; revoke one instead.")


def _comparable(value):
    """Normalise values read back from the database and values held on an instance."""
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, str):
        return value
    if hasattr(value, "name") and not isinstance(value, type):  # FieldFile
        return value.name or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


class PlatformCompletion(TrainingRecord):
    """A course or webinar finished on Attune, issued by the platform."""

    class Meta:
        verbose_name = _("platform completion")


class LiveAttendance(TrainingRecord):
    """Attendance at a live session (in person or online) confirmed by its organizer."""

    class Meta:
        verbose_name = _("live attendance")


class ExternalTraining(TrainingRecord):
    """Training taken elsewhere, entered by the learner: any organization, any past date."""

    evidence = models.FileField(upload_to="records/evidence/%Y/%m/", blank=True, max_length=255)
    evidence_content_type = models.CharField(max_length=40, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("external training")


class SessionFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class CosignStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting co-signature")
    CONFIRMED = "confirmed", _("Co-signed")
    DECLINED = "declined", _("Declined by supervisor")


class RSCSession(TrainingRecord):
    """A reflective supervision/consultation session, co-signed by the supervisor."""

    session_format = models.CharField(max_length=12, choices=SessionFormat.choices)
    supervisor_name = models.CharField(max_length=160)
    supervisor_email = models.EmailField()
    supervisor_endorsement = models.CharField(
        max_length=60, blank=True, help_text=_("The supervisor's endorsement, e.g. IMHM-C.")
    )
    cosign_status = models.CharField(
        max_length=12, choices=CosignStatus.choices, default=CosignStatus.PENDING
    )
    cosign_nonce = models.CharField(max_length=64, blank=True)
    cosign_requested_at = models.DateTimeField(null=True, blank=True)
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cosign_comment = models.TextField(blank=True)

    # Co-signing moves the session from self-reported to provider-attested.
    mutable_fields = (
        *TrainingRecord.base_mutable_fields,
        "verification_tier",
        "cosign_status",
        "cosign_nonce",
        "cosign_requested_at",
        "cosigned_at",
        "cosigned_by",
        "cosign_comment",
    )

    class Meta:
        verbose_name = _("RSC session")
        constraints = [
            models.CheckConstraint(
                condition=Q(cosign_status="pending") | Q(cosigned_at__isnull=False),
                name="records_rsc_decision_has_time",
            ),
        ]


class RecordAreaHours(AppendOnly):
    """Clock hours of one record credited to one competency area, as issued."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT, related_name="area_hours")
    area = models.ForeignKey(
        "competencies.CompetencyArea", on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["area__order", "area__code"]
        verbose_name_plural = "record area hours"
        constraints = [
            models.UniqueConstraint(fields=["record", "area"], name="records_area_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="records_area_hours_positive"),
        ]

    def __str__(self):
        return f"{self.hours} h {self.area.code}"


class RecordFacilitator(AppendOnly):
    """A facilitator as named when the record was issued, linked to the registry if known."""

    record = models.ForeignKey(
        TrainingRecord, on_delete=models.PROTECT, related_name="facilitators"
    )
    name = models.CharField(max_length=160)
    credentials = models.CharField(max_length=160, blank=True)
    facilitator = models.ForeignKey(
        "organizations.Facilitator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record_credits",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class RecordAmendment(AppendOnly):
    """A correction to an issued record: what changed, why, by whom and when.

    ``changes`` maps a field name to ``{"from": old, "to": new}`` with JSON-safe values
    (dates as ISO strings, hours as decimal strings, facilitators and area hours as
    lists/maps). Effective values are the issued values with every amendment applied in order.
    """

    record = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField()
    changes = models.JSONField()
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amended_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="records_amendment_has_reason"),
        ]

    def __str__(self):
        return f"Amendment of {self.record_id} at {self.amended_at:%Y-%m-%d}"


class RecordEvent(AppendOnly):
    """The audit trail: every issue, amendment, revocation, co-signature and download."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        AMENDED = "amended", _("Amended")
        REVOKED = "revoked", _("Revoked")
        COSIGN_REQUESTED = "cosign_requested", _("Co-signature requested")
        COSIGNED = "cosigned", _("Co-signed")
        COSIGN_DECLINED = "cosign_declined", _("Co-signature declined")
        CERTIFICATE_DOWNLOADED = "certificate", _("Certificate downloaded")
        CREDENTIAL_DOWNLOADED = "credential", _("Credential downloaded")
        CREDIT_CLAIMED = "credit_claimed", _("Credit claimed")
        CREDIT_WITHDRAWN = "credit_withdrawn", _("Credit claim withdrawn")

    record = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["record", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.record_id} at {self.at:%Y-%m-%d %H:%M}"


# Stored as typed; certificates show this default heading in the learner's language.
DEFAULT_HEADING = "Certificate of completion"

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class CertificateTemplate(models.Model):
    """How an organization's certificates look: logo, signature and colours."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="certificate_template",
        verbose_name=_("organization"),
    )
    heading = models.CharField(_("heading"), max_length=120, default=DEFAULT_HEADING)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Leave empty to use the organization's own logo."),
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )
    signatory_name = models.CharField(_("signatory name"), max_length=160, blank=True)
    signatory_title = models.CharField(_("signatory title"), max_length=160, blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[HEX_COLOUR]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#c97b2b", validators=[HEX_COLOUR]
    )
    footer_text = models.CharField(_("footer text"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(primary_colour__regex=r"^#[0-9a-fA-F]{6}$")
                & Q(accent_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="records_certificate_colours_hex",
            ),
        ]

    def __str__(self):
        return f"Certificate template of {self.organization}"


class IssuerKey(models.Model):
    """An Ed25519 signing key for Open Badges credentials issued in an organization's name.

    The private key is stored only encrypted (Fernet, with a key derived from
    ``ATTUNE_CREDENTIAL_KEY`` or, failing that, ``SECRET_KEY``); see ``credentials.py``.
    ``organization`` is empty for credentials Attune issues in its own name.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issuer_keys",
    )
    public_key = models.BinaryField(max_length=32)
    encrypted_private_key = models.BinaryField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_active=True, organization__isnull=False),
                name="records_one_active_key_per_issuer",
            ),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True, organization__isnull=True),
                name="records_one_active_platform_key",
            ),
        ]

    def __str__(self):
        return f"Issuer key {self.pk} of {self.organization or 'Attune'}"


from .models_credits import (  # noqa: E402, F401
    CreditCategory,
    CreditClaim,
    CreditKind,
    CreditUnit,
    RecordCredit,
)
from .models_status import (  # noqa: E402, F401
    CredentialStatusEntry,
    CredentialStatusList,
    StatusPurpose,
    StatusSubject,
)
