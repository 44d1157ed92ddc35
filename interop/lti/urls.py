"""/lti/...: LTI 1.3 launches, the tool's keys, dynamic registration (wired in lms/urls.py)."""

from django.urls import include, path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from .views import launch, registration

app_name = "interop_lti"

urlpatterns = [
    path("login/", launch.login_initiation, name="login"),
    path("login/<uuid:registration_uuid>/", launch.login_initiation, name="login_for"),
    path("launch/", launch.launch, name="launch"),
    path("continue/<str:signed>/", launch.handoff, name="handoff"),
    path("modules/<id:module_id>/", launch.module, name="module"),
    path("jwks.json", launch.jwks, name="jwks"),
    path("register/<slug:registration_token>/", registration.register, name="register"),
    path("", include("interop.lti.service_urls")),
]
