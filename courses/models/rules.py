"""What a training asks of a learner before the platform issues its record."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel

PERCENT = [MinValueValidator(1), MaxValueValidator(100)]


class CompletionRules(models.Model):
    """Fields every training carries; the editor sets them on the training's Completion tab."""

    open_enrollment = models.BooleanField(
        default=True,
        help_text=_("Anyone signed in may enroll. Off: only with an access code or a center seat."),
    )
    require_lessons = models.BooleanField(
        _("all lessons done"), default=True, help_text=_("Courses: every published lesson is done.")
    )
    require_watch = models.BooleanField(
        _("recordings watched"),
        default=True,
        help_text=_("Every recording of the training is watched to the required share."),
    )
    watch_coverage_percent = models.PositiveSmallIntegerField(
        _("share of each recording to watch (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Leave blank for the platform default (95%)."),
    )
    require_post_test = models.BooleanField(
        _("post-tests passed"),
        default=True,
        help_text=_("Every quiz marked 'required to complete' is passed."),
    )
    require_evaluation = models.BooleanField(
        _("evaluation submitted"),
        default=True,
        help_text=_("Learners answer the evaluation survey before their record is issued."),
    )
    evaluation_survey = models.ForeignKey(
        "courses.EvaluationSurvey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave blank for the standard Attune evaluation."),
    )
    minimum_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_(
            "Live events: the share of the event a participant must attend. Leave blank "
            "for the platform default (80%)."
        ),
    )

    completion_panels = [
        HelpPanel(
            format_lazy(
                "<p>{}</p>",
                _(
                    "When every rule below holds, Attune issues the learner's training record "
                    "once, crediting the training's contact hours. Every learner also attests "
                    "that they completed the training themselves."
                ),
            )
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
            heading=_("Completion rules"),
        ),
    ]

    class Meta:
        abstract = True
