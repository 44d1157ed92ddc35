"""Post-tests and evaluation surveys: snippets owned by an organization, and what learners
answered."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .. import learning_blocks


class QuizFeedback(models.TextChoices):
    """How much a learner sees about their answers after an attempt."""

    SCORE = "score", _("The score only")
    WRONG = "wrong", _("The score and which questions were wrong")
    ANSWERS = "answers", _("The score, which questions were wrong and the correct answers")


class RevealAnswers(models.TextChoices):
    """When the correct answers are shown, if the feedback includes them."""

    AFTER_PASSING = "passed", _("Only once the learner has passed")
    AFTER_LAST_ATTEMPT = (
        "last_attempt",
        _("Once no attempt remains: after passing or after the last attempt"),
    )
    EVERY_ATTEMPT = "every_attempt", _("After every attempt, even while attempts remain")


class Quiz(TranslatableMixin, models.Model):
    """A post-test in an organization's quiz bank; lessons and webinars name it by its slug.

    Editors translate it with wagtail-localize: a translation carries the words (title,
    prompts, answers, explanations) under the source's block ids, and nothing else. The
    source is the canonical post-test: attempts, scores and the answer key are its own, so a
    learner's attempt counts the same in every language (``selectors.quizzes``)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="quizzes"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        help_text=_("What trainings use to name this quiz, e.g. attachment-basics-post-test."),
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, default=3, help_text=_("Leave blank for no limit.")
    )
    shuffle = models.BooleanField(
        default=True, help_text=_("Each attempt shows the questions and answers in a new order.")
    )
    feedback = models.CharField(
        _("feedback after an attempt"),
        max_length=12,
        choices=QuizFeedback.choices,
        default=QuizFeedback.WRONG,
        help_text=_(
            "What a learner sees after submitting an attempt. A question's explanation is "
            "shown only to learners who answered it correctly or may see its correct answer."
        ),
    )
    reveal_answers = models.CharField(
        _("show the correct answers"),
        max_length=16,
        choices=RevealAnswers.choices,
        default=RevealAnswers.AFTER_LAST_ATTEMPT,
        help_text=_(
            "When learners see the correct answers, if the feedback includes them. The first "
            "two choices never show them while the learner can still try again: a learner "
            "could otherwise pass the next attempt by copying them."
        ),
    )
    questions = StreamField(learning_blocks.question_blocks(), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Facts a grade depends on stay the source's in every translation; which answers are
    # correct is part of ``questions`` but never read from a translation.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("questions"),
        SynchronizedField("organization", overridable=False),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("pass_mark_percent", overridable=False),
        SynchronizedField("max_attempts", overridable=False),
        SynchronizedField("shuffle", overridable=False),
        SynchronizedField("feedback", overridable=False),
        SynchronizedField("reveal_answers", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("post-test")
        verbose_name_plural = _("post-tests")
        constraints = [
            # Translations share their source's identifier, one per language.
            models.UniqueConstraint(
                fields=["organization", "slug", "locale"], name="courses_quiz_slug_per_org_locale"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark_percent__gte=1, pass_mark_percent__lte=100),
                name="courses_quiz_pass_mark_range",
            ),
            models.CheckConstraint(
                condition=Q(feedback__in=QuizFeedback.values),
                name="courses_quiz_feedback_known",
            ),
            models.CheckConstraint(
                condition=Q(reveal_answers__in=RevealAnswers.values),
                name="courses_quiz_reveal_answers_known",
            ),
        ]

    def __str__(self):
        return self.title


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class QuizAttempt(models.Model):
    """One try at a quiz. The order shown is fixed when the attempt starts, so a reload shows
    the same order; answers and per-question results are kept for item analysis."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    training = models.ForeignKey(
        "courses.TrainingPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_attempts",
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    # [{"question": block id, "choices": [choice ids in the order shown]}, ...]
    order = models.JSONField(default=list)
    # question block id -> chosen choice ids
    answers = models.JSONField(default=dict, blank=True)
    # question block id -> {"correct": bool, "chosen": [...], "right": [...]}
    results = models.JSONField(default=dict, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["quiz", "learner", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "learner", "number"], name="courses_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["quiz", "learner"],
                condition=Q(status="in_progress"),
                name="courses_one_open_attempt",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False),
                name="courses_submitted_attempt_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.learner} · {self.quiz} #{self.number}"


class EvaluationSurvey(TranslatableMixin, models.Model):
    """The questions learners answer about a training before its record is issued.

    Translated like a post-test: a translation carries the prompts under the source's block
    ids, and responses always belong to the source survey, whatever language they were
    answered in."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="evaluation_surveys",
        null=True,
        blank=True,
        help_text=_("Empty only for Attune's standard evaluation."),
    )
    title = models.CharField(max_length=200)
    items = StreamField(learning_blocks.survey_blocks(), blank=True)

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("items"),
        SynchronizedField("organization", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("evaluation survey")
        verbose_name_plural = _("evaluation surveys")

    def __str__(self):
        return self.title


class EvaluationResponse(models.Model):
    """A learner's evaluation of one training, with their attestation."""

    enrollment = models.OneToOneField(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="evaluation"
    )
    survey = models.ForeignKey(
        EvaluationSurvey, on_delete=models.SET_NULL, null=True, related_name="responses"
    )
    # item block id -> 1..5 (ratings) or text
    answers = models.JSONField(default=dict, blank=True)
    attested = models.BooleanField()
    # The credit kinds (ids) the learner chose to claim when completing; the claims are
    # made when the record is issued, which may be later (a live event's attendance).
    credit_claims = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(attested=True), name="courses_evaluation_attested")
        ]

    def __str__(self):
        return f"Evaluation by {self.enrollment}"
