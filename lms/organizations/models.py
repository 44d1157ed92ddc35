from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index

from lms.money import DEFAULT_CURRENCY

from .contrast import validate_background_colour, validate_colour_on_white
from .forms import AssociationBrandingForm
from .kinds import OrganizationKind

# The currencies associations charge in; ISO 4217 codes (lms.money formats each).
CURRENCY_CHOICES = [
    ("USD", _("US dollar")),
    ("CAD", _("Canadian dollar")),
    ("MXN", _("Mexican peso")),
    ("EUR", _("Euro")),
    ("GBP", _("Pound sterling")),
    ("AUD", _("Australian dollar")),
    ("NZD", _("New Zealand dollar")),
]


class Organization(models.Model):
    """An association, faculty institute, center or other training provider."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("Abbreviation used in lists, e.g. GLAIMH."),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    state = models.CharField(
        _("state"), max_length=2, blank=True, help_text=_("Two-letter state code.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organization",
        verbose_name=_("site"),
        help_text=_("The association's own site: its home page, catalog and branding."),
    )
    # What the association keeps after a learner asks to be erased, and for how long: shown
    # on the erasure request page. Empty means the platform's default statement.
    retention_statement = models.TextField(
        _("retention statement"),
        blank=True,
        help_text=_(
            "What you keep after a learner's data is erased (issued records, "
            "endorsements, audit entries) and why."
        ),
    )
    # What the association charges in (prices, dues, fees, invoices): amounts are stored in
    # this currency's minor unit, so changing it does not convert existing prices.
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        default=DEFAULT_CURRENCY,
        help_text=_("The currency of your prices, dues, fees and invoices."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention years"),
        default=7,
        help_text=_("How many years evidence is kept under an anonymous identity."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
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
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    FACILITATOR = "facilitator", pgettext_lazy("role in an organization", "Facilitator")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff member")


class Membership(models.Model):
    """A person's role in an organization. A person may hold several roles in one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
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

    name = models.CharField(_("name"), max_length=160)
    credentials = models.CharField(
        _("credentials"),
        max_length=160,
        blank=True,
        help_text=_("Degrees, licences and endorsements, e.g. LMSW."),
    )
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitator_profiles",
        verbose_name=_("account"),
        help_text=_("The facilitator's Attune account, if they have one."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitators",
        verbose_name=_("organization"),
        help_text=_("Where the facilitator works."),
    )
    endorsement_held = models.ForeignKey(
        "competencies.EndorsementCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endorsement held"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [index.SearchField("name"), index.SearchField("credentials")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class FacilitatorApproval(models.Model):
    """An association's approval of a facilitator, valid until it expires."""

    facilitator = ParentalKey(
        Facilitator,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("facilitator"),
    )
    association = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="facilitator_approvals",
        limit_choices_to={"kind": OrganizationKind.ASSOCIATION},
        verbose_name=_("association"),
    )
    approved_on = models.DateField(_("approved on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["association__name"]
        verbose_name = _("facilitator approval")
        verbose_name_plural = _("facilitator approvals")
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


# Centers' contracts, roster and seats live in ``center_models``; imported here so that Django
# registers them with this app and callers keep importing them from ``models``.
from .center_models import (  # noqa: E402
    ON_ROSTER,
    CenterProgram,
    Contract,
    ContractStatus,
    ContractTraining,
    RosterImport,
    RosterImportStatus,
    SeatAssignment,
    SeatStatus,
    StaffMember,
    StaffStatus,
)

__all__ = [
    "ON_ROSTER",
    "AssociationBranding",
    "CenterProgram",
    "Contract",
    "ContractStatus",
    "ContractTraining",
    "Facilitator",
    "FacilitatorApproval",
    "Membership",
    "Organization",
    "OrganizationKind",
    "Role",
    "RosterImport",
    "RosterImportStatus",
    "SeatAssignment",
    "SeatStatus",
    "StaffMember",
    "StaffStatus",
    "all_languages",
    "hex_colour",
]
