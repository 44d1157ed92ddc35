"""Learning URLs: /learning/... (wired in lms/urls.py)."""

from django.urls import path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from .views import (
    attendance,
    enrollment,
    evaluation,
    events,
    heartbeat,
    lessons,
    my_learning,
    quizzes,
    reports,
)

app_name = "learning"

urlpatterns = [
    path("", my_learning.my_learning_view, name="mine"),
    path("heartbeat/", heartbeat.heartbeat, name="heartbeat"),
    path("code/", enrollment.redeem_code, name="access_code"),
    path("trainings/<id:training_id>/enrollment/", enrollment.change_enrollment, name="enroll"),
    path("trainings/<id:training_id>/status/", enrollment.enrollment_status, name="status"),
    path("trainings/<id:training_id>/quiz/<slug:slug>/", quizzes.quiz, name="quiz"),
    path("trainings/<id:training_id>/evaluation/", evaluation.evaluation, name="evaluation"),
    path("lessons/<id:lesson_id>/done/", lessons.lesson_done, name="lesson_done"),
    path(
        "events/<id:event_id>/registration/",
        events.change_registration,
        name="registration",
    ),
    path("events/<id:event_id>/calendar.ics", events.event_calendar, name="calendar"),
    path("events/<id:event_id>/attendance/", attendance.attendance, name="attendance"),
    path(
        "events/<id:event_id>/attendance/<id:batch_id>/",
        attendance.attendance_preview,
        name="attendance_preview",
    ),
    path("reports/", reports.reports_index, name="reports"),
    path("reports/<slug:slug>/", reports.report, name="report"),
    path("reports/<slug:slug>/<str:kind>.csv", reports.report_csv, name="report_csv"),
]
