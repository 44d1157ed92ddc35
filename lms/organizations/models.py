from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable
from wagtail.search import index

from .contrast import validate_background_colour, validate_colour_on_white
from .forms import AssociationBrandingForm


class OrganizationKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    FACULTY_INSTITUTE = "faculty_institute", "Faculty institute"
    CENTER = "center", "Center"
    TRAINING_PROVIDER = "training_provider", "Training provider"


class Organization(models.Model):
    """An association, faculty institute, center or other training provider."""

    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Abbreviation used in lists, e.g. GLAIMH."
    )
    slug = models.SlugField(max_length=60, unique=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter state code.")
    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organization",
        help_text="The association's own site: its home page, catalog and branding.",
    )
    # What the association keeps after a learner asks to be erased, and for how long: shown
    # on the erasure request page. Empty means the platform's default statement.
    retention_statement = models.TextField(
        blank=True,
        help_text=_(
            "What you keep after a learner's data is erased (issued records, "
            "endorsements, audit entries) and why."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        default=7, help_text=_("How many years evidence is kept under an anonymous identity.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(site__isnull=True) | models.Q(kind="association"),
                name="organizations_only_associations_have_sites",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


def all_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #2f5d62."))


@register_setting(icon="image")
class AssociationBranding(BaseSiteSetting):
    """An association's brand on its site, its e-mails and its certificates: logo, colours and
    (on the form, stored on the organization) short name. ``branding.brand_for_request`` reads
    it; a GET never writes it."""

    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Shown in the header, e-mails and certificates. A wide logo reads best."),
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#2f5d62",
        validators=[hex_colour, validate_background_colour],
        help_text=_(
            "Header and button colour. Its text is white or near-black, whichever reads "
            "better; it must reach WCAG AA contrast (4.5:1)."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#a7453a",
        validators=[hex_colour, validate_colour_on_white],
        help_text=_(
            "Links and highlights on the white page: 4.5:1 or more against white (WCAG AA)."
        ),
    )

    # The languages the site offers (its switcher, its pages' language versions) and the one
    # a visitor without a preference gets; a new site offers every language Attune speaks.
    languages = models.JSONField(
        _("languages offered"),
        default=all_languages,
        help_text=_("The languages visitors may choose on your site."),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("For visitors whose browser asks for no language your site offers."),
    )

    base_form_class = AssociationBrandingForm
    panels = [
        FieldPanel("short_name"),
        FieldPanel("logo"),
        FieldPanel("tagline"),
        FieldRowPanel([FieldPanel("brand_colour"), FieldPanel("accent_colour")]),
        MultiFieldPanel(
            [FieldPanel("languages"), FieldPanel("default_language")], heading=_("Languages")
        ),
    ]

    class Meta:
        db_table = "courses_associationbranding"  # made by courses, which held it first
        verbose_name = _("association branding")

    def clean(self):
        super().clean()
        offered = [code for code in all_languages() if code in (self.languages or [])]
        if not offered:
            raise ValidationError({"languages": _("Offer at least one language.")})
        self.languages = offered
        if self.default_language not in offered:
            raise ValidationError(
                {"default_language": _("The default language must be one the site offers.")}
            )

    @classmethod
    def for_site(cls, site):
        """The site's branding, or the defaults unsaved: rendering a page never writes a row
        (Wagtail's own lookup creates one); saving it in the admin does."""
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    EDITOR = "editor", "Editor"
    REVIEWER = "reviewer", "Reviewer"
    FACILITATOR = "facilitator", "Facilitator"
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff member"


class Membership(models.Model):
    """A person's role in an organization. A person may hold several roles in one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="organizations_membership_unique"
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.organization}"


class Facilitator(index.Indexed, ClusterableModel):
    """A person who teaches or facilitates training: the registry records cite by name."""

    name = models.CharField(max_length=160)
    credentials = models.CharField(
        max_length=160, blank=True, help_text="Degrees, licences and endorsements, e.g. LMSW."
    )
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitator_profiles",
        help_text="The facilitator's Attune account, if they have one.",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitators",
        help_text="Where the facilitator works.",
    )
    endorsement_held = models.ForeignKey(
        "competencies.EndorsementCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [index.SearchField("name"), index.SearchField("credentials")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class FacilitatorApproval(models.Model):
    """An association's approval of a facilitator, valid until it expires."""

    facilitator = ParentalKey(Facilitator, on_delete=models.CASCADE, related_name="approvals")
    association = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="facilitator_approvals",
        limit_choices_to={"kind": OrganizationKind.ASSOCIATION},
    )
    approved_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["association__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "association"], name="organizations_one_approval_per_assoc"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("approved_on")),
                name="organizations_approval_expires_after_approved",
            ),
        ]

    def __str__(self):
        return f"{self.facilitator.name} approved by {self.association}"

    def is_expired(self, *, on=None) -> bool:
        day = on or timezone.localdate()
        return self.expires_on is not None and self.expires_on < day


# ---------------------------------------------------------------------------------------------
# Centers: contracts with associations, the staff roster and the seats staff take.
#
# Trainings are Wagtail pages that ``courses`` defines; organizations never imports courses, so
# contracts point at ``wagtailcore.Page`` and the page chooser limits the types by name.


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Contract(ClusterableModel):
    """An association's agreement to train a center's staff: which trainings, how many seats,
    for how long. Moves draft → active → ended through ``centers.services``."""

    association = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="contracts_given",
        limit_choices_to={"kind": OrganizationKind.ASSOCIATION},
    )
    center = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": OrganizationKind.CENTER},
    )
    title = models.CharField(max_length=200, help_text="e.g. Home visitors' foundations 2026.")
    seat_count = models.PositiveIntegerField(
        "seats", help_text="How many trainings the center's staff may take on this contract."
    )
    # Kept by the seat services under the contract's row lock; the check below makes the
    # database refuse an over-assignment even if a caller forgot the lock.
    seats_used = models.PositiveIntegerField(default=0, editable=False)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=8, choices=ContractStatus.choices, default=ContractStatus.DRAFT, editable=False
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_used__lte=models.F("seat_count")),
                name="organizations_contract_seats_not_over_assigned",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="organizations_contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ContractStatus.values),
                name="organizations_contract_known_status",
            ),
        ]
        indexes = [models.Index(fields=["center", "status"])]

    def __str__(self):
        return f"{self.title} ({self.center.display_name})"

    def save(self, **kwargs):
        # An edit in the admin must never write back the seat count it read when the form
        # opened: ``seats_used`` changes only through the seat services' own updates.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                *(
                    f.attname
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.name != "seats_used"
                ),
                *(rel.get_accessor_name() for rel in get_all_child_relations(self)),
            ]
        super().save(**kwargs)

    @property
    def seats_free(self) -> int:
        return self.seat_count - self.seats_used

    def is_open_on(self, day) -> bool:
        return self.status == ContractStatus.ACTIVE and self.starts_on <= day <= self.ends_on


class ContractTraining(Orderable):
    """A training included in a contract: from the catalog, or a private cohort built for the
    center that only its staff see and enroll in."""

    contract = ParentalKey(Contract, on_delete=models.CASCADE, related_name="trainings")
    training = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A course, webinar or live session.",
    )
    private = models.BooleanField(
        "private cohort",
        default=False,
        help_text="Only this center's staff see the training and enroll in it (on a seat).",
    )

    class Meta(Orderable.Meta):
        verbose_name = "training"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "training"], name="organizations_contract_training_once"
            ),
            # A private cohort belongs to one center: one contract names it private.
            models.UniqueConstraint(
                fields=["training"],
                condition=models.Q(private=True),
                name="organizations_private_cohort_one_contract",
            ),
        ]

    def __str__(self):
        return f"{self.training_id} in {self.contract_id}"


class CenterProgram(models.Model):
    """A program within a center (e.g. Early Head Start), for grouping its staff."""

    center = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="programs",
        limit_choices_to={"kind": OrganizationKind.CENTER},
    )
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "center", Lower("name"), name="organizations_program_name_once_per_center"
            ),
        ]

    def __str__(self):
        return self.name


class StaffStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Joined"
    REMOVED = "removed", "Removed by the center"
    LEFT = "left", "Left the center"


ON_ROSTER = (StaffStatus.INVITED, StaffStatus.ACTIVE)


class StaffMember(models.Model):
    """A person on a center's roster.

    The account, its records and its portfolio stay the person's own: the roster only says
    that they work here. Joining (accepting the invitation) shares their progress on the
    center's contracted trainings; anything more needs their consent.
    """

    center = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="staff_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="center_staff"
    )
    roster_name = models.CharField(
        max_length=200, blank=True, help_text="The name the center entered."
    )
    job_role = models.CharField(max_length=120, blank=True)
    program = models.ForeignKey(
        CenterProgram, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    status = models.CharField(
        max_length=8, choices=StaffStatus.choices, default=StaffStatus.INVITED
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["center", "user"], name="organizations_staff_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=StaffStatus.values),
                name="organizations_staff_known_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(joined_at__isnull=False),
                name="organizations_staff_joined_has_time",
            ),
        ]
        indexes = [models.Index(fields=["center", "status"])]

    def __str__(self):
        return f"{self.display_name} at {self.center_id}"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.roster_name or self.user.email

    @property
    def has_joined(self) -> bool:
        return self.status == StaffStatus.ACTIVE


class SeatStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    RELEASED = "released", "Released"


class SeatAssignment(models.Model):
    """One seat of a contract given to one staff member for one of its trainings.

    An assigned seat counts in ``Contract.seats_used`` until it is released; a seat whose
    training was completed stays assigned (it was used).
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="seats")
    contract_training = models.ForeignKey(
        ContractTraining, on_delete=models.PROTECT, related_name="seats"
    )
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="seats")
    status = models.CharField(max_length=8, choices=SeatStatus.choices, default=SeatStatus.ASSIGNED)
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_training", "staff"],
                condition=models.Q(status="assigned"),
                name="organizations_one_seat_per_training_and_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SeatStatus.values),
                name="organizations_seat_known_status",
            ),
            models.CheckConstraint(
                condition=models.Q(status="assigned") | models.Q(released_at__isnull=False),
                name="organizations_released_seat_has_time",
            ),
        ]
        indexes = [models.Index(fields=["contract", "status"])]

    def __str__(self):
        return f"Seat {self.pk} of contract {self.contract_id}"

    @property
    def seat_ref(self) -> str:
        """How the enrollment names the seat it uses."""
        return f"center-seat:{self.pk}"


class RosterImportStatus(models.TextChoices):
    PREVIEW = "preview", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Imported"
    DISCARDED = "discarded", "Discarded"


class RosterImport(models.Model):
    """A roster file as read, line by line, awaiting the manager's confirmation."""

    center = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=RosterImportStatus.choices, default=RosterImportStatus.PREVIEW
    )
    # One entry per data line: {"line", "email", "name", "job_role", "program", "outcome",
    # "message"}; outcome is "new", "existing", "on_roster" or "error".
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or 'Roster'} ({self.get_status_display()})"

    @property
    def errors(self) -> list[dict]:
        return [row for row in self.rows if row["outcome"] == "error"]

    @property
    def valid_rows(self) -> list[dict]:
        return [row for row in self.rows if row["outcome"] in ("new", "existing")]
