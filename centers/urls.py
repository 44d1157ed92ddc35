"""Center URLs: /centers/... and /institutes/<slug>/library/ (wired in lms/urls.py)."""

from django.urls import path

from centers import views
from lms import parsing  # noqa: F401 - registers the <id:...> converter

app_name = "centers"

urlpatterns = [
    path("centers/", views.home, name="home"),
    path("centers/join/<str:token>/", views.join, name="join"),
    path("centers/mine/<slug:slug>/sharing/", views.my_sharing, name="my_sharing"),
    path("centers/mine/<slug:slug>/leave/", views.my_leave, name="my_leave"),
    path("centers/<slug:slug>/", views.dashboard_view, name="dashboard"),
    path("centers/<slug:slug>/staff.csv", views.dashboard_export, name="export"),
    path("centers/<slug:slug>/contracts/", views.center_contracts, name="contracts"),
    path("centers/<slug:slug>/roster/", views.roster_view, name="roster"),
    path("centers/<slug:slug>/roster/programs/", views.add_program, name="add_program"),
    path("centers/<slug:slug>/roster/upload/", views.roster_upload, name="roster_upload"),
    path("centers/<slug:slug>/roster/upload/<id:pk>/", views.roster_preview, name="roster_preview"),
    path("centers/<slug:slug>/roster/<id:pk>/", views.staff_detail, name="staff"),
    path("centers/<slug:slug>/seats/", views.seats_view, name="seats"),
    path("centers/<slug:slug>/seats/<id:pk>/release/", views.seat_release, name="seat_release"),
    path("institutes/<slug:slug>/library/", views.institute_library, name="institute_library"),
]
