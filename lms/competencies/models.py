"""The competency framework as versioned data.

Only names and codes are stored. The guidelines' indicator text belongs to its copyright
holder and is never copied into Attune. Names come translated too (``translated_names``, as
data: names only), and everything that shows a name shows ``localized_name``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class AgeBand(models.TextChoices):
    INFANT = "infant", _("Infant (pregnancy to 36 months)")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood (3 to 6 years)")


def localized(name: str, translated_names, language: str | None = None) -> str:
    """``name`` in ``language`` (the active language by default) when ``translated_names``
    has it ("es-mx" finds "es"), otherwise ``name`` as stored."""
    if not translated_names:
        return name
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    for code in (language, language.split("-")[0]):
        text = translated_names.get(code)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return name


class TranslatedName(models.Model):
    """A name stored in the framework's own language, with its translations by language
    code. Translations are names only: never the guidelines' text."""

    translated_names = models.JSONField(
        _("translated names"),
        default=dict,
        blank=True,
        help_text=_(
            'The name in other languages, by language code, for example {"es": "Reflexión"}. '
            "Leave out a language to show the name above."
        ),
    )

    class Meta:
        abstract = True

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.translated_names)


class CompetencyFramework(models.Model):
    name = models.CharField(_("name"), max_length=120)
    version = models.CharField(_("version"), max_length=20)
    effective_date = models.DateField(_("effective date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "-effective_date"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="competencies_framework_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class EndorsementCategory(index.Indexed, TranslatedName):
    """An endorsement category such as IFA or IMHM-C. Codes are stable across versions."""

    class Level(models.IntegerChoices):
        # Translators: the level of an endorsement category (1 of 4).
        PROMOTION = 1, _("Promotion")
        PREVENTION = 2, _("Prevention")
        TREATMENT = 3, _("Treatment")
        LEADERSHIP = 4, _("Leadership")

    class Designation(models.TextChoices):
        # Translators: no designation for an endorsement category.
        NONE = "", _("None")
        CLINICAL = "clinical", _("Clinical")
        POLICY = "policy", _("Policy")
        RESEARCH_FACULTY = "research_faculty", _("Research/Faculty")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    age_band = models.CharField(_("age band"), max_length=20, choices=AgeBand.choices)
    designation = models.CharField(
        _("designation"), max_length=20, choices=Designation.choices, blank=True, default=""
    )
    has_exam = models.BooleanField(_("has an exam"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = [index.SearchField("name"), index.FilterField("code")]

    class Meta:
        ordering = ["age_band", "order", "code"]
        verbose_name = _("endorsement category")
        verbose_name_plural = _("endorsement categories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="competencies_category_level_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.localized_name} ({self.code})"


class CompetencyArea(TranslatedName):
    """One of the framework's eight domains, e.g. Theoretical Foundations."""

    framework = models.ForeignKey(
        CompetencyFramework,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("framework"),
    )
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="competencies_area_code_unique"
            ),
        ]

    def __str__(self):
        return self.localized_name


class SubArea(TranslatedName):
    """A named sub-area of a domain, and the categories whose guidelines include it."""

    area = models.ForeignKey(
        CompetencyArea,
        on_delete=models.PROTECT,
        related_name="sub_areas",
        verbose_name=_("competency area"),
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=160)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    categories = models.ManyToManyField(
        EndorsementCategory,
        related_name="sub_areas",
        blank=True,
        verbose_name=_("endorsement categories"),
    )

    class Meta:
        ordering = ["area", "order", "code"]
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "code"], name="competencies_subarea_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.area.localized_name}: {self.localized_name}"
