"""A learner's course data in their download (enrollments, lesson and watch evidence, quiz
attempts, evaluations, attendance), and what erasure does to it. Registered with
``lms.accounts.privacy`` from ``CoursesConfig.ready()``."""

from django.utils.translation import gettext_lazy

from lms.accounts.privacy import model_rows, register_section

from .models import (
    Attendance,
    Enrollment,
    EvaluationResponse,
    LessonProgress,
    QuizAttempt,
    WatchProgress,
)


def export_enrollments(*, user):
    return model_rows(
        Enrollment.objects.filter(learner=user).select_related("training", "access_code"),
        user=user,
        exclude=("record",),
    )


def export_lesson_progress(*, user):
    return model_rows(
        LessonProgress.objects.filter(enrollment__learner=user).select_related(
            "enrollment__training", "lesson"
        ),
        user=user,
    )


def export_watch_progress(*, user):
    return model_rows(
        WatchProgress.objects.filter(learner=user).select_related("recording"),
        user=user,
        exclude=("sessions",),
    )


def export_quiz_attempts(*, user):
    return model_rows(
        QuizAttempt.objects.filter(learner=user).select_related("quiz", "training"),
        user=user,
    )


def export_evaluations(*, user):
    return model_rows(
        EvaluationResponse.objects.filter(enrollment__learner=user).select_related(
            "enrollment__training", "survey"
        ),
        user=user,
    )


def export_attendance(*, user):
    return model_rows(
        Attendance.objects.filter(enrollment__learner=user).select_related(
            "enrollment__training", "import_batch"
        ),
        user=user,
    )


def erase_evaluations(*, user, anonymous_id):
    """Ratings stay (they count in the training's summary); what the person wrote goes."""
    for response in EvaluationResponse.objects.filter(enrollment__learner=user):
        answers = {
            key: ("" if isinstance(value, str) and not value.strip().isdigit() else value)
            for key, value in (response.answers or {}).items()
        }
        if answers != response.answers:
            EvaluationResponse.objects.filter(pk=response.pk).update(answers=answers)


def register() -> None:
    """Runs on import (from ``CoursesConfig.ready()``); registering again replaces."""
    register_section(
        "enrollments",
        description=gettext_lazy("Your enrollments in trainings"),
        export=export_enrollments,
    )
    register_section(
        "lesson_progress",
        description=gettext_lazy("Lessons you opened and finished"),
        export=export_lesson_progress,
    )
    register_section(
        "watch_progress",
        description=gettext_lazy("What you watched of each recording (the evidence of watching)"),
        export=export_watch_progress,
    )
    register_section(
        "quiz_attempts",
        description=gettext_lazy("Your quiz and post-test attempts"),
        export=export_quiz_attempts,
    )
    register_section(
        "evaluations",
        description=gettext_lazy("Your evaluations of trainings"),
        export=export_evaluations,
        erase=erase_evaluations,
    )
    register_section(
        "attendance",
        description=gettext_lazy("Your attendance at live events"),
        export=export_attendance,
    )


register()
