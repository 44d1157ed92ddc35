from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("records/", views.my_records, name="mine"),
    path("records/external/add/", views.add_external_training, name="add_external"),
    path("records/rsc/log/", views.log_rsc_session, name="log_rsc"),
    path("records/rsc/cosign/<str:token>/", views.rsc_cosign, name="rsc_cosign"),
    path("records/transcript/", views.transcript, name="transcript"),
    path("records/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("records/transcript.csv", views.transcript_csv, name="transcript_csv"),
    path("records/credentials/verify/", views.verify_credential, name="verify_credential"),
    path("records/issuers/<slug:slug>/", views.issuer_profile, name="issuer_profile"),
    path("records/<uuid:verification_id>/", views.record_detail, name="detail"),
    path("records/<uuid:verification_id>/certificate.pdf", views.certificate, name="certificate"),
    path("records/<uuid:verification_id>/credential.json", views.credential, name="credential"),
    path("records/<uuid:verification_id>/evidence/", views.evidence, name="evidence"),
    path(
        "records/<uuid:verification_id>/rsc/resend/",
        views.resend_cosign_request,
        name="rsc_resend",
    ),
    path("verify/<uuid:verification_id>/", views.verify, name="verify"),
]
