"""/lti/...: LTI 1.3 launches, the tool's keys, dynamic registration (wired in lms/urls.py)."""

from django.urls import include, path

from .views import launch

app_name = "interop_lti"

urlpatterns = [
    path("login/", launch.login_initiation, name="login"),
    path("login/<uuid:registration_uuid>/", launch.login_initiation, name="login_for"),
    path("launch/", launch.launch, name="launch"),
    path("continue/<str:token>/", launch.handoff, name="handoff"),
    path("modules/<int:pk>/", launch.module, name="module"),
    path("jwks.json", launch.jwks, name="jwks"),
    path("", include("interop.lti.service_urls")),
]
