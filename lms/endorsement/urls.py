"""The endorsement pages' URLs (namespace ``endorsement``). ``lms/urls.py`` adds the portfolio
page itself (``/portfolio/``, name ``portfolio``), which lives in ``courses`` because it shows
trainings from the catalog."""

from django.urls import path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from .views import applications, checklist, exports, portfolio, references, registry

app_name = "endorsement"

urlpatterns = [
    path("portfolio/readiness/", portfolio.readiness, name="readiness"),
    path("portfolio/endorsement/", portfolio.update_held_endorsement, name="held"),
    path("portfolio/checklist/", checklist.tick, name="tick"),
    path("portfolio/checklist/<id:pk>/remove/", checklist.remove_tick, name="remove_tick"),
    path("portfolio/checklist/<id:pk>/evidence/", checklist.tick_evidence, name="tick_evidence"),
    path("portfolio/export/", exports.export, name="export"),
    path("portfolio/export/training.csv", exports.export, {"fmt": "csv"}, name="export_csv"),
    path("portfolio/export/training.json", exports.export, {"fmt": "json"}, name="export_json"),
    path("portfolio/export/training.pdf", exports.export, {"fmt": "pdf"}, name="export_pdf"),
    path("portfolio/export/rsc-log.csv", exports.export, {"fmt": "rsc"}, name="export_rsc"),
    # Applications (the learner's own), raters' forms, the public registry and verification.
    path("applications/", applications.application_list, name="applications"),
    path("applications/<id:pk>/", applications.application_detail, name="application"),
    path("applications/<id:pk>/exclude/", applications.exclude, name="application_exclude"),
    path("applications/<id:pk>/include/", applications.include, name="application_include"),
    path(
        "applications/<id:pk>/training/",
        applications.outside_training,
        name="application_training",
    ),
    path("applications/<id:pk>/checklist/", applications.checklist, name="application_checklist"),
    path(
        "applications/<id:pk>/supervisor/",
        applications.supervisor,
        name="application_supervisor",
    ),
    path("applications/<id:pk>/raters/", references.rater, name="application_rater"),
    *(
        path(
            f"applications/<id:pk>/raters/<id:reference_id>/{action}/",
            references.rater_action,
            {"action": action},
            name=f"application_rater_{action}",
        )
        for action in ("replace", "resend")
    ),
    *(
        path(
            f"applications/<id:pk>/{action}/",
            applications.transition,
            {"action": action},
            name=f"application_{action}",
        )
        for action in ("submit", "withdraw", "reopen")
    ),
    path("endorsements/<id:pk>/registry/", registry.registry_listing, name="registry_listing"),
    path("endorsements/<id:pk>/credential.json", registry.holder_credential, name="credential"),
    path("references/<str:token>/", references.reference, name="reference"),
    path("registry/<slug:slug>/", registry.registry, name="registry"),
    path("endorsements/verify/<uuid:verification_id>/", registry.verify, name="verify"),
    path(
        "endorsements/verify/<uuid:verification_id>/credential.json",
        registry.verify_credential,
        name="verify_credential",
    ),
]
