from django.urls import path

from lms import parsing  # noqa: F401 - registers the <id:...> converter

from .views import certificates, clr, credit_documents, records, rsc, transcript, verification

app_name = "records"

urlpatterns = [
    path("records/", records.my_records, name="mine"),
    path("records/external/add/", records.add_external_training, name="add_external"),
    path("records/rsc/log/", rsc.log_rsc_session, name="log_rsc"),
    path("records/rsc/cosign/<str:token>/", rsc.rsc_cosign, name="rsc_cosign"),
    path("records/transcript/", transcript.transcript, name="transcript"),
    path("records/transcript.pdf", transcript.transcript_pdf, name="transcript_pdf"),
    path("records/transcript.csv", transcript.transcript_csv, name="transcript_csv"),
    path("records/clr/", clr.clr, name="clr"),
    path(
        "records/credentials/verify/",
        verification.verify_credential,
        name="verify_credential",
    ),
    path("records/issuers/<slug:slug>/", verification.issuer_profile, name="issuer_profile"),
    path(
        "records/status/<slug:issuer>/<slug:purpose>/<id:list_id>/",
        verification.status_list,
        name="status_list",
    ),
    path("records/<uuid:verification_id>/", records.record_detail, name="detail"),
    path(
        "records/<uuid:verification_id>/certificate.pdf",
        certificates.certificate,
        name="certificate",
    ),
    path(
        "records/<uuid:verification_id>/credential.json",
        certificates.credential,
        name="credential",
    ),
    path("records/<uuid:verification_id>/evidence/", records.evidence, name="evidence"),
    path(
        "records/<uuid:verification_id>/rsc/resend/",
        rsc.resend_cosign_request,
        name="rsc_resend",
    ),
    # A learner claims a credit of their record, or withdraws the claim, by the credit's own
    # verification id.
    path(
        "records/credits/<uuid:verification_id>/claim/",
        records.claim_credit,
        name="credit_claim",
    ),
    path(
        "records/credits/<uuid:verification_id>/withdraw/",
        records.withdraw_credit_claim,
        name="credit_withdraw",
    ),
    path("verify/<uuid:verification_id>/", verification.verify, name="verify"),
    # Continuing-education credit: a certificate per claimed credit, its public verification
    # page, the learner's transcript per kind and period.
    path(
        "records/credits/transcript/",
        credit_documents.credit_transcript,
        name="credit_transcript",
    ),
    path(
        "records/credits/<uuid:verification_id>/certificate.pdf",
        credit_documents.credit_certificate,
        name="credit_certificate",
    ),
    path(
        "verify/credits/<uuid:verification_id>/",
        credit_documents.verify_credit,
        name="verify_credit",
    ),
]
