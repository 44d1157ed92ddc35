import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

TIME_ZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())

US_STATES = [
    ("AK", "Alaska"), ("AL", "Alabama"), ("AR", "Arkansas"), ("AZ", "Arizona"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"),
    ("DC", "District of Columbia"), ("DE", "Delaware"), ("FL", "Florida"), ("GA", "Georgia"),
    ("HI", "Hawaii"), ("IA", "Iowa"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"),
    ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("MA", "Massachusetts"),
    ("MD", "Maryland"), ("ME", "Maine"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MO", "Missouri"), ("MS", "Mississippi"), ("MT", "Montana"), ("NC", "North Carolina"),
    ("ND", "North Dakota"), ("NE", "Nebraska"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
    ("NM", "New Mexico"), ("NV", "Nevada"), ("NY", "New York"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VA", "Virginia"),
    ("VT", "Vermont"), ("WA", "Washington"), ("WI", "Wisconsin"), ("WV", "West Virginia"),
    ("WY", "Wyoming"), ("XX", _("Outside the United States")),
]  # fmt: skip


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person using Attune. The e-mail address is the login; there is no username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # Signing out anywhere adds one, which ends every session of the person on every host
    # (the platform and each association site): see _get_session_auth_hash.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # Set when the person's personal data was erased at their request: the account stays as
    # the anonymous identity that the evidence associations must keep (records, endorsements,
    # audit entries) still points to.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.__class__.objects.normalize_email(self.email).strip()
        super().save(*args, **kwargs)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def public_name(self) -> str:
        """The name others may see: withheld once the person's data was erased."""
        if self.is_erased:
            return str(_("Name withheld at the learner's request"))
        return self.get_full_name()

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (an HMAC of the password hash, which every request checks
        against the one stored in the session) with the session epoch mixed in, so that
        raising the epoch signs the person out of every session, like changing the password
        does. Epoch 0 keeps Django's own value: sessions made before it existed stay valid."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "attune.accounts.User.session_epoch",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Discipline(models.TextChoices):
    EARLY_CARE = "early_care", _("Early care and education")
    HOME_VISITING = "home_visiting", _("Home visiting")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SOCIAL_WORK = "social_work", _("Social work")
    NURSING = "nursing", _("Nursing")
    MEDICINE = "medicine", _("Medicine and pediatrics")
    EARLY_INTERVENTION = "early_intervention", _("Early intervention")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class LicenseProfession(models.TextChoices):
    """Professional licenses a continuing-education board may ask for on a certificate."""

    SOCIAL_WORK = "social_work", _("Social work license")
    COUNSELING = "counseling", _("Counseling license")
    PSYCHOLOGY = "psychology", _("Psychology license")
    NURSING = "nursing", _("Nursing license")
    MARRIAGE_FAMILY = "marriage_family", _("Marriage and family therapy license")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood registry or credential number")
    OTHER = "other", _("Other professional license")


class WorkSetting(models.TextChoices):
    COMMUNITY_AGENCY = "community_agency", _("Community agency")
    HOME_VISITING_PROGRAM = "home_visiting_program", _("Home visiting program")
    EARLY_CARE_PROGRAM = "early_care_program", _("Early care program")
    CLINIC = "clinic", _("Clinic or hospital")
    PRIVATE_PRACTICE = "private_practice", _("Private practice")
    UNIVERSITY = "university", _("University or research")
    GOVERNMENT = "government", _("Government or policy")
    OTHER = "other", _("Other")


# Languages a learner may ask captions in (tags as caption tracks use them, matched on the
# primary language: "es" finds an "es-MX" track). Empty: the site's own language.
CAPTION_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ht", _("Haitian Creole")),
    ("ko", _("Korean")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("so", _("Somali")),
    ("tl", _("Tagalog")),
    ("hmn", _("Hmong")),
]


class LearnerProfile(models.Model):
    """What Attune knows about a professional beyond the login."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    discipline = models.CharField(max_length=32, choices=Discipline.choices, blank=True)
    job_role = models.CharField(max_length=120, blank=True)
    work_setting = models.CharField(max_length=32, choices=WorkSetting.choices, blank=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    association = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "association"},
        help_text=_("The association whose endorsement you hold or are working toward."),
    )
    target_category = models.ForeignKey(
        "competencies.EndorsementCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The day the learner means to apply for their target category by: trainings that start
    # later are not suggested to close their gaps (once endorsed, the renewal date counts).
    target_date = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    # How videos start for this learner (the player reads it through
    # MEDIA_PIPELINE_VIEWER_PREFERENCES; a choice made in the player is kept by the browser).
    captions_on = models.BooleanField(_("Turn captions on when a video starts"), default=False)
    caption_language = models.CharField(
        _("Caption language"),
        max_length=16,
        choices=CAPTION_LANGUAGES,
        blank=True,
        help_text=_(
            "Captions and transcripts in this language when a video has it, otherwise the "
            "first language it has. Leave empty to follow the site's language."
        ),
    )
    # The interface's language on every site that offers it (the language middleware reads
    # it through selectors.preferred_language); empty follows the browser.
    language = models.CharField(
        _("Language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "Pages, e-mails and certificates in this language where the site offers it. "
            "Leave empty to follow your browser."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"


class ConsentScope(models.TextChoices):
    """What a person agrees to share, and with whom (the organization on the consent)."""

    ASSOCIATION_RECORDS = (
        "association_records",
        _("My training records and RSC sessions, for the association's own systems"),
    )
    # By joining a center, staff share their progress on its contracted trainings; their
    # whole portfolio and endorsement readiness only with this, which they may take back.
    CENTER_PORTFOLIO = (
        "center_portfolio",
        _("My portfolio and endorsement readiness, for my center's managers"),
    )
    # What the learner does in a training (watching, post-test attempts, completion), as
    # xAPI statements to the association's learning record store.
    LEARNING_ACTIVITY = (
        "learning_activity",
        _("My learning activity, for the association's learning record store"),
    )


class SharingConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class SharingConsent(models.Model):
    """A person's consent to share something with one organization.

    Consent is given and taken back by the person; revoking keeps the row (when it was given
    and when it ended), and at most one consent per person, organization and scope is active.
    Everything that shares data asks ``lms.accounts.selectors`` at the moment it shares.
    """

    # Consent history is evidence of what was shared lawfully: deleting the account refuses.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sharing_consents")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SharingConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "scope"],
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_one_active_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=[s.value for s in ConsentScope]),
                name="accounts_consent_known_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("granted_at")),
                name="accounts_consent_revoked_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["organization", "scope", "revoked_at"])]

    def __str__(self):
        state = "revoked" if self.revoked_at else "active"
        return f"{self.user} → {self.organization_id} ({self.scope}, {state})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    COMPLETED = "completed", _("Erased")
    DECLINED = "declined", _("Declined")


class ErasureRequest(models.Model):
    """A person's request to have their personal data erased, and how it was processed.

    The row outlives the erasure: it is the proof that the request was honoured. The user
    link then points to the anonymous identity (``anonymous_id``)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="erasure_requests")
    status = models.CharField(
        max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    processed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymous_id = models.CharField(max_length=40, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="requested"),
                name="accounts_one_open_erasure_request",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["requested", "completed", "declined"]),
                name="accounts_erasure_known_status",
            ),
        ]

    def __str__(self):
        who = self.anonymous_id or self.user_id
        return f"Erasure request {self.pk} ({who}, {self.status})"


class ProfessionalLicense(models.Model):
    """A license the learner holds, kept in the profile so that claiming a credit that needs
    it does not mean typing it again. A certificate shows it only for the credit whose board
    asks for it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="licenses")
    profession = models.CharField(_("license"), max_length=24, choices=LicenseProfession.choices)
    number = models.CharField(_("license number"), max_length=60)
    jurisdiction = models.CharField(
        _("licensing state"), max_length=60, blank=True, help_text=_("e.g. Michigan")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profession"]
        verbose_name = _("professional license")
        verbose_name_plural = _("professional licenses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "profession"], name="accounts_one_license_per_profession"
            ),
            models.CheckConstraint(
                condition=~models.Q(number=""), name="accounts_license_has_number"
            ),
        ]

    def __str__(self):
        return f"{self.get_profession_display()} of {self.user}"
