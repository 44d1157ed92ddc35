"""URLs of LTI Advantage services (Deep Linking's picker, a course's roster), included by
``interop.lti.urls`` under its namespace."""

from django.urls import path

from .views import deep_linking

urlpatterns = [
    path("deep-linking/", deep_linking.picker, name="deep_linking"),
    path("roster/", deep_linking.course_roster, name="course_roster"),
]
