"""Learning URLs: /learning/... (wired in lms/urls.py)."""

from django.urls import path

from . import facilitation_views, learning_views

app_name = "learning"

urlpatterns = [
    path("", learning_views.my_learning_view, name="mine"),
    path("heartbeat/", learning_views.heartbeat, name="heartbeat"),
    path("code/", learning_views.redeem_code, name="access_code"),
    path(
        "trainings/<int:training_id>/enrollment/", learning_views.change_enrollment, name="enroll"
    ),
    path("trainings/<int:training_id>/status/", learning_views.enrollment_status, name="status"),
    path("trainings/<int:training_id>/quiz/<slug:slug>/", learning_views.quiz, name="quiz"),
    path("trainings/<int:training_id>/evaluation/", learning_views.evaluation, name="evaluation"),
    path("lessons/<int:lesson_id>/done/", learning_views.lesson_done, name="lesson_done"),
    path("events/<int:event_id>/calendar.ics", learning_views.event_calendar, name="calendar"),
    path("events/<int:event_id>/attendance/", facilitation_views.attendance, name="attendance"),
    path(
        "events/<int:event_id>/attendance/<int:batch_id>/",
        facilitation_views.attendance_preview,
        name="attendance_preview",
    ),
    path("reports/", facilitation_views.reports_index, name="reports"),
    path("reports/<slug:slug>/", facilitation_views.report, name="report"),
    path("reports/<slug:slug>/<str:kind>.csv", facilitation_views.report_csv, name="report_csv"),
]
