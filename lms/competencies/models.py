"""The competency framework as versioned data.

Only names and codes are stored. The guidelines' indicator text belongs to its copyright
holder and is never copied into Attune.
"""

from django.db import models
from wagtail.search import index


class AgeBand(models.TextChoices):
    INFANT = "infant", "Infant (pregnancy to 36 months)"
    EARLY_CHILDHOOD = "early_childhood", "Early childhood (3 to 6 years)"


class CompetencyFramework(models.Model):
    name = models.CharField(max_length=120)
    version = models.CharField(max_length=20)
    effective_date = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="competencies_framework_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class EndorsementCategory(index.Indexed, models.Model):
    """An endorsement category such as IFA or IMHM-C. Codes are stable across versions."""

    class Level(models.IntegerChoices):
        PROMOTION = 1, "Promotion"
        PREVENTION = 2, "Prevention"
        TREATMENT = 3, "Treatment"
        LEADERSHIP = 4, "Leadership"

    class Designation(models.TextChoices):
        NONE = "", "None"
        CLINICAL = "clinical", "Clinical"
        POLICY = "policy", "Policy"
        RESEARCH_FACULTY = "research_faculty", "Research/Faculty"

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices)
    designation = models.CharField(
        max_length=20, choices=Designation.choices, blank=True, default=""
    )
    has_exam = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    search_fields = [index.SearchField("name"), index.FilterField("code")]

    class Meta:
        ordering = ["age_band", "order", "code"]
        verbose_name_plural = "endorsement categories"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="competencies_category_level_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CompetencyArea(models.Model):
    """One of the framework's eight domains, e.g. Theoretical Foundations."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="areas"
    )
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="competencies_area_code_unique"
            ),
        ]

    def __str__(self):
        return self.name


class SubArea(models.Model):
    """A named sub-area of a domain, and the categories whose guidelines include it."""

    area = models.ForeignKey(CompetencyArea, on_delete=models.PROTECT, related_name="sub_areas")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=160)
    order = models.PositiveSmallIntegerField(default=0)
    categories = models.ManyToManyField(EndorsementCategory, related_name="sub_areas", blank=True)

    class Meta:
        ordering = ["area", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "code"], name="competencies_subarea_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.area.name}: {self.name}"
