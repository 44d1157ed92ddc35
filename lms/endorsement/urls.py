from django.urls import path

from . import application_views as apps
from . import views

app_name = "endorsement"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/readiness/", views.readiness, name="readiness"),
    path("portfolio/endorsement/", views.held_endorsement, name="held"),
    path("portfolio/checklist/", views.tick, name="tick"),
    path("portfolio/checklist/<int:pk>/remove/", views.remove_tick, name="remove_tick"),
    path("portfolio/checklist/<int:pk>/evidence/", views.tick_evidence, name="tick_evidence"),
    path("portfolio/export/", views.export, name="export"),
    path("portfolio/export/training.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("portfolio/export/training.json", views.export, {"fmt": "json"}, name="export_json"),
    path("portfolio/export/training.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("portfolio/export/rsc-log.csv", views.export, {"fmt": "rsc"}, name="export_rsc"),
    # Applications (the learner's own), raters' forms, the public registry and verification.
    path("applications/", apps.application_list, name="applications"),
    path("applications/<int:pk>/", apps.application_detail, name="application"),
    path("applications/<int:pk>/exclude/", apps.exclude, name="application_exclude"),
    path("applications/<int:pk>/include/", apps.include, name="application_include"),
    path("applications/<int:pk>/training/", apps.outside_training, name="application_training"),
    path("applications/<int:pk>/checklist/", apps.checklist, name="application_checklist"),
    path("applications/<int:pk>/supervisor/", apps.supervisor, name="application_supervisor"),
    path("applications/<int:pk>/raters/", apps.rater, name="application_rater"),
    *(
        path(
            f"applications/<int:pk>/raters/<int:reference_id>/{action}/",
            apps.rater_action,
            {"action": action},
            name=f"application_rater_{action}",
        )
        for action in ("replace", "resend")
    ),
    *(
        path(
            f"applications/<int:pk>/{action}/",
            apps.transition,
            {"action": action},
            name=f"application_{action}",
        )
        for action in ("submit", "withdraw", "reopen")
    ),
    path("endorsements/<int:pk>/registry/", apps.registry_listing, name="registry_listing"),
    path("references/<str:token>/", apps.reference, name="reference"),
    path("registry/<slug:slug>/", apps.registry, name="registry"),
    path("endorsements/verify/<uuid:verification_id>/", apps.verify, name="verify"),
]
