"""What a training asks of a learner before the platform issues its record."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel

PERCENT = [MinValueValidator(1), MaxValueValidator(100)]


class CompletionRules(models.Model):
    """Fields every training carries; the editor sets them on the training's Completion tab."""

    open_enrollment = models.BooleanField(
        default=True,
        help_text="Anyone signed in may enroll. Off: only with an access code or a center seat.",
    )
    require_lessons = models.BooleanField(
        "all lessons done", default=True, help_text="Courses: every published lesson is done."
    )
    require_watch = models.BooleanField(
        "recordings watched",
        default=True,
        help_text="Every recording of the training is watched to the required share.",
    )
    watch_coverage_percent = models.PositiveSmallIntegerField(
        "share of each recording to watch (%)",
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Leave blank for the platform default (95%).",
    )
    require_post_test = models.BooleanField(
        "post-tests passed",
        default=True,
        help_text="Every quiz marked 'required to complete' is passed.",
    )
    require_evaluation = models.BooleanField(
        "evaluation submitted",
        default=True,
        help_text="Learners answer the evaluation survey before their record is issued.",
    )
    evaluation_survey = models.ForeignKey(
        "courses.EvaluationSurvey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave blank for the standard Attune evaluation.",
    )
    minimum_attendance_percent = models.PositiveSmallIntegerField(
        "minimum attendance (%)",
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Live events: the share of the event a participant must attend. Leave blank "
        "for the platform default (80%).",
    )

    completion_panels = [
        HelpPanel(
            "<p>When every rule below holds, Attune issues the learner's training record once, "
            "crediting the training's contact hours. Every learner also attests that they "
            "completed the training themselves.</p>"
        ),
        FieldPanel("open_enrollment"),
        MultiFieldPanel(
            [
                FieldPanel("require_lessons"),
                FieldPanel("require_watch"),
                FieldPanel("watch_coverage_percent"),
                FieldPanel("require_post_test"),
                FieldPanel("require_evaluation"),
                FieldPanel("evaluation_survey"),
                FieldPanel("minimum_attendance_percent"),
            ],
            heading="Completion rules",
        ),
    ]

    class Meta:
        abstract = True
