"""Two tenants, A and B, each with everything a URL can name, and the people of the grid.

Everything is made through the same services and test helpers the rest of the suite uses.
Tenant A's learner is ``learner``; tenant B's is ``other_learner``. The facilitator works
for association A only; the superuser belongs to nobody.
"""

import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.models import Site
from wagtail_localize.models import TranslationSource

from centers.services import add_program, add_staff, assign_seats
from centers.services import invitation_token as center_invitation
from courses.models import AccessCode, EvaluationSurvey, LessonPage
from courses.services.access import media_collection
from courses.services.attendance import preview_attendance_import
from courses.services.enrollment import enroll, register_for_event
from lms.accounts.models import ConsentScope, ErasureRequest
from lms.accounts.services import grant_consent
from lms.competencies.models import CompetencyFramework, EndorsementCategory, SubArea
from lms.endorsement.models import Endorsement, EndorsementSource, ReferenceRequest
from lms.endorsement.selectors.references import reference_token
from lms.endorsement.services.applications import submit_application
from lms.endorsement.services.checklist import tick_checklist_item
from lms.integrations.tokens import create_token
from lms.organizations.models import FacilitatorApproval, OrganizationKind, Role, RosterImport
from lms.records.models import CertificateTemplate
from lms.records.services.rsc import cosign_token, log_rsc_session, request_rsc_cosignature
from media_pipeline.delivery import Signer
from media_pipeline.services.captioning import add_caption
from media_pipeline.storage import pipeline_storage
from media_pipeline.uploads import start_upload
from tests.centers.builders import contract, staff
from tests.courses.factories import (
    FacilitatorFactory,
    association,
    institute,
    library_module,
    member,
    training,
)
from tests.courses.learning import quiz, recording
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import ready_application, small_rules
from tests.lms.records.factories import issue
from tests.media_pipeline.published import CAPTIONS

# Words that appear only in one tenant's private data (its learner's name, records,
# recordings, contracts, center): a page that shows them to someone outside that tenant
# leaks it. Public names (the association, its catalog) say only "Alder" or "Birch".
MARKERS = {"A": "Alderbrook", "B": "Birchmoor"}
PUBLIC_NAMES = {"A": "Alder", "B": "Birch"}
ROLES = (
    "anonymous",
    "learner",
    "other_learner",
    "manager_A",
    "manager_B",
    "editor_A",
    "reviewer_A",
    "admin_A",
    "editor_B",
    "reviewer_B",
    "admin_B",
    "facilitator",
    "superuser",
)
POSTER = "poster.jpg"


@dataclass
class Tenant:
    """One association's world: what the URL kwargs of the grid are filled from."""

    name: str
    association: object = None
    owner: object = None  # the learner whose enrollment, records and application these are
    objects: dict = field(default_factory=dict)  # snippet model label -> instance
    kwargs: dict = field(default_factory=dict)  # URL name -> kwargs
    api_token: str = ""
    pages: dict = field(default_factory=dict)  # kind -> page


@dataclass
class World:
    users: dict
    tenants: dict


def _people():
    def user(slug, **fields):
        return UserFactory(email=f"{slug}@grid.test", first_name=slug.title(), **fields)

    return {
        "learner": user("learner", last_name=MARKERS["A"]),
        "other_learner": user("other-learner", last_name=MARKERS["B"]),
        "facilitator": user("facilitator"),
        "superuser": user("superuser", is_superuser=True, is_staff=True),
    }


def _tenant(name: str, users: dict, *, owner, slug: str) -> Tenant:
    marker, public = MARKERS[name], PUBLIC_NAMES[name]
    tenant = Tenant(name=name, owner=owner)
    org = association(slug, name=f"{public} Association")
    tenant.association = org
    small_rules(org)
    for role in ("editor", "reviewer", "admin"):
        users[f"{role}_{name}"] = member(org, Role(role), user__email=f"{role}-{slug}@grid.test")
    admin = users[f"admin_{name}"]

    # Trainings: a webinar showing a recording (with a post-test), a course with a lesson,
    # a live event. The facilitator of A facilitates A's trainings.
    rec = recording(org, title=f"{public} recording")  # a public page names it
    pipeline_storage().save(f"{rec.storage_prefix}/{POSTER}", ContentFile(b"\xff\xd8poster"))
    rec.poster = f"{rec.storage_prefix}/{POSTER}"
    rec.save(update_fields=["poster"])
    caption = add_caption(recording=rec, language="en", label="English", data=CAPTIONS)
    upload_key = start_upload(
        owner=org,
        user=users[f"editor_{name}"],
        title=f"{marker} upload",
        filename="clip.mp4",
        size=1024,
    ).session.key
    post_test = quiz(org, slug=f"{slug}-post-test", title=f"{public} post-test")
    facilitator = FacilitatorFactory(name=f"{public} facilitator", organization=org)
    FacilitatorApproval.objects.create(
        facilitator=facilitator, association=org, approved_on=datetime.date(2024, 1, 1)
    )
    webinar = training(
        org,
        f"{public} webinar",
        kind="webinar",
        facilitators=[facilitator],
        recording=[("recording", rec)],
        post_test=[
            ("quiz", {"quiz": post_test.slug, "label": "Post-test", "required_to_complete": True})
        ],
    )
    course = training(org, f"{public} course", facilitators=[facilitator])
    lesson = course.add_child(instance=LessonPage(title=f"{public} lesson", slug="lesson"))
    event = training(org, f"{public} event", kind="event", facilitators=[facilitator])
    cohort = training(org, f"{marker} cohort", facilitators=[facilitator])
    cohort_lesson = cohort.add_child(instance=LessonPage(title=f"{marker} cohort lesson"))

    enroll(learner=owner, training=webinar)
    register_for_event(learner=owner, event=event)
    batch = preview_attendance_import(
        event=event,
        uploaded_by=admin,
        filename="participants.csv",
        content=b"Name,Email,Join time,Leave time\n",
    )

    # Records: a completion issued by the association, an RSC session awaiting co-signature.
    record = issue(owner, provider_organization=org, title=f"{marker} completion")
    rsc = log_rsc_session(
        learner=owner,
        session_date=datetime.date(2024, 3, 1),
        duration_hours=Decimal("1.00"),
        session_format="individual",
        supervisor_name=f"{marker} supervisor",
        supervisor_email=f"supervisor-{slug}@grid.test",
    )
    request_rsc_cosignature(record=rsc, by=owner)
    rsc.refresh_from_db()
    grant_consent(user=owner, organization=org, scope=ConsentScope.ASSOCIATION_RECORDS)

    # A center with a manager, a contract for the webinar, the learner on its roster on a
    # seat and sharing their portfolio, an invited person, a program and a roster upload.
    center = OrganizationFactory(
        kind=OrganizationKind.CENTER, slug=f"{slug}-center", name=f"{public} Family Center"
    )
    users[f"manager_{name}"] = member(center, Role.MANAGER, user__email=f"manager-{slug}@grid.test")
    deal = contract(
        org, center, [webinar, course, cohort], private=[cohort], title=f"{marker} contract"
    )
    joined = staff(center, owner.email, share=True)
    seat = assign_seats(
        contract_training=deal.trainings.get(training=course),
        staff=[joined],
        by=users[f"manager_{name}"],
    )[0]
    invited = add_staff(center=center, email=f"invited-{slug}@grid.test", invite=False).staff
    add_program(center=center, name=f"{marker} home visiting")
    upload = RosterImport.objects.create(
        center=center, uploaded_by=users[f"manager_{name}"], filename="roster.csv"
    )

    # Endorsement: an application with raters named, a checklist tick, a held endorsement.
    application, _ = ready_application(org, owner)
    submit_application(application=application, learner=owner)
    reference = ReferenceRequest.objects.filter(application=application).first()
    tick = tick_checklist_item(
        learner=owner, association=org, item="references", completed_on=datetime.date(2024, 2, 1)
    )
    held = Endorsement.objects.create(
        learner=owner,
        association=org,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(2024, 1, 1),
        renewal_due=datetime.date(2030, 12, 31),
        source=EndorsementSource.APPLICATION,
    )
    _, tenant.api_token = create_token(association=org, name=f"{marker} system", by=admin)

    survey = EvaluationSurvey.objects.create(title=f"{marker} survey", organization=org)
    code = AccessCode.objects.create(organization=org, training=webinar, code=f"{slug.upper()}")
    template = CertificateTemplate.objects.create(organization=org, heading=f"{marker} cert")
    faculty = institute(f"{slug}-institute")
    module = library_module(faculty, title=f"{marker} module")

    framework = CompetencyFramework.objects.get()
    tenant.objects = {
        "competencies.competencyframework": framework,
        "competencies.competencyarea": framework.areas.first(),
        "competencies.subarea": SubArea.objects.filter(area__framework=framework).first(),
        "competencies.endorsementcategory": EndorsementCategory.objects.first(),
        "organizations.organization": org,
        "organizations.membership": users[f"editor_{name}"].memberships.get(),
        "organizations.facilitator": facilitator,
        "organizations.facilitatorapproval": facilitator.approvals.get(),
        "organizations.contract": deal,
        "courses.quiz": post_test,
        "courses.evaluationsurvey": survey,
        "courses.accesscode": code,
        "courses.librarymodule": module,
        "records.certificatetemplate": template,
        "media_pipeline.recording": rec,
        "endorsement.requirementset": org.requirement_sets.first(),
    }
    token = Signer(rec, owner).token(rec.poster.name)
    erasure = ErasureRequest.objects.create(user=owner)
    tenant.kwargs = {
        "pk:erasure": erasure.pk,
        "pk:application": application.pk,
        "pk:tick": tick.pk,
        "pk:endorsement": held.pk,
        "pk:staff": joined.pk,
        "pk:seat": seat.pk,
        "pk:roster_import": upload.pk,
        "reference_id": reference.pk,
        "tick_id": tick.pk,
        "verification_id:record": record.verification_id,
        "verification_id:rsc": rsc.verification_id,
        "verification_id:endorsement": held.verification_id,
        "token:reference": reference_token(reference),
        "token:cosign": cosign_token(rsc),
        "token:invitation": center_invitation(invited),
        "token:playback": token,
        "filename": POSTER,
        "slug:center": center.slug,
        "slug:association": org.slug,
        "slug:institute": faculty.slug,
        "slug:quiz": post_test.slug,
        "training_id": webinar.pk,
        "lesson_id": lesson.pk,
        "event_id": event.pk,
        "batch_id": batch.pk,
        "key:recording": rec.key,
        "key:upload": upload_key,
        "caption_id": caption.pk,
        "site_pk": org.site.pk,
        "page_id": webinar.pk,
        "translation_source_id": TranslationSource.get_or_create_from_instance(webinar)[0].pk,
        "parent_page_id": org.catalog.pk,
        "revision_id": module.latest_revision_id,
    }
    # --- Payments, checkout part: an order awaiting payment, the owner's (its description
    # carries the tenant's private word, so another reader seeing it is a leak).
    from commerce.models import LineKind
    from commerce.services.orders import LineSpec, place_order

    pending = place_order(
        buyer=owner,
        association=org,
        lines=[LineSpec(LineKind.TRAINING, webinar.pk, f"{marker} webinar order", 6000)],
    )
    tenant.kwargs["reference"] = pending.reference
    # --- end of the checkout part's block.
    # --- Payments, invoicing part: the center's contract invoiced (quote, its purchase
    # order, issued), and a paid order of the owner's for its receipt.
    from commerce.invoicing.services import (
        QuoteLine,
        draw_up_quote,
        issue_invoice,
        record_purchase_order,
    )
    from commerce.services.payments import mark_paid_by_hand

    invoice = draw_up_quote(
        contract=deal,
        lines=[QuoteLine(deal.trainings.get(training=course), 4, 4500)],
        by=admin,
    )
    record_purchase_order(invoice=invoice, po_number=f"{marker} PO", by=users[f"manager_{name}"])
    issue_invoice(invoice=invoice, by=admin)
    paid = place_order(
        buyer=owner,
        association=org,
        lines=[LineSpec(LineKind.TRAINING, course.pk, f"{marker} course order", 4500)],
    )
    mark_paid_by_hand(order=paid, by=admin, note=f"{marker} check")
    tenant.kwargs.update(
        {
            "reference:paid": paid.reference,
            "invoice": invoice.reference,
            "invoice_id": invoice.pk,
            "contract_id": deal.pk,
            "center": center.slug,
        }
    )
    # --- end of the invoicing part's block.
    # Pages Wagtail serves on the association's own site, by what they are.
    tenant.pages = {
        "home": org.site.root_page.specific,
        "catalog": org.catalog,
        "training": webinar,
        "lesson": lesson,
        "cohort": cohort,
        "cohort_lesson": cohort_lesson,
    }
    # --- Payments: memberships and endorsement fees (the MEMBERSHIPS part) ---
    from commerce.memberships.models import MembershipPlan
    from commerce.memberships.services import record_membership_by_hand

    plan = MembershipPlan.objects.create(association=org, name=f"{public} member", annual_dues=7000)
    # The owner's dues paid by check: the note carries the private word (the members list of
    # another association showing it would be a leak).
    held = record_membership_by_hand(person=owner, plan=plan, by=admin, note=f"{marker} check")
    tenant.kwargs.update(
        {
            "plan_id": plan.pk,
            "application_id": application.pk,
            "membership_id": held.membership_id,
        }
    )
    tenant.objects["commerce_memberships.membershipplan"] = plan
    # --- end of memberships ---
    # --- Payments: coupons and bundles (the PRICES part) ---
    from commerce.offers.models import Bundle, Coupon

    offer_coupon = Coupon.objects.create(
        association=org,
        code=f"{slug.upper()}10",
        description=f"{marker} coupon",
        kind="percent",
        percent_off=10,
    )
    offer_bundle = Bundle.objects.create(
        association=org, title=f"{public} pack", description="Two trainings.", price=9000
    )
    offer_bundle.trainings.set([webinar, course])
    tenant.objects.update(
        {"commerce_offers.coupon": offer_coupon, "commerce_offers.bundle": offer_bundle}
    )
    tenant.kwargs.update({"bundle_id": offer_bundle.pk})
    # --- end of coupons and bundles ---
    # --- Association sign-in through its membership system (the SSO part) ---
    from interop.sso.models import IdentityProvider

    tenant.objects["interop_sso.identityprovider"] = IdentityProvider.objects.create(
        association=org, name=f"{marker} AMS", idp_entity_id=f"https://ams.{slug}.example/idp"
    )
    # --- end of association sign-in ---
    # --- LTI core: a connected platform, a module launched by the tenant's learner ---
    from lti_tool.models import LtiContext, LtiDeployment, LtiResourceLink, LtiUser

    from interop.lti.models import DynamicRegistration, Placement, PlacementLaunch
    from interop.lti.services.connections import connect_platform

    lti = connect_platform(
        organization=org,
        name=f"{marker} Canvas",
        issuer=f"https://canvas.{slug}.example",
        client_id=f"{slug}-client",
        auth_url=f"https://canvas.{slug}.example/auth",
        token_url=f"https://canvas.{slug}.example/token",
        keyset_url=f"https://canvas.{slug}.example/jwks",
        deployment_ids=["1"],
    )
    lti_module = library_module(org, f"{public} LTI module")
    lti_link = LtiResourceLink.objects.create(
        context=LtiContext.objects.create(
            deployment=LtiDeployment.objects.get(registration=lti.registration),
            id_on_platform="course-1",
        ),
        id_on_platform="link-1",
    )
    lti_user = LtiUser.objects.create(registration=lti.registration, sub="1", auth_user=owner)
    PlacementLaunch.objects.create(
        placement=Placement.objects.create(
            resource_link=lti_link, connection=lti, module=lti_module
        ),
        lti_user=lti_user,
        user=owner,
    )
    tenant.kwargs.update(
        {
            "connection_id": lti.pk,
            "registration_uuid": lti.registration.uuid,
            "module_id": lti_module.pk,
            "signed": "forged-hand-off",
            "registration_token": DynamicRegistration.objects.create(
                organization=org, expires_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
            ).token,
        }
    )
    # --- end of LTI core ---
    # --- xAPI: the association's learning record store (the XAPI part) ---
    from lms.integrations.xapi.services import save_store

    save_store(
        association=org,
        by=admin,
        endpoint=f"https://lrs.{slug}.example/xAPI/",
        key=f"{marker}-lrs-key",
        secret=f"{marker}-lrs-secret",
    )
    tenant.kwargs["association_id"] = org.pk
    # --- end of xAPI ---
    # --- Credential status (the CREDENTIALS part): the completion's credential has an
    # entry in the association's status list, which anyone may fetch.
    from lms.records.credentials import credential_for, current_credential_entry

    credential_for(record)
    status_entry = current_credential_entry(record)
    tenant.kwargs.update(
        {
            "issuer": org.slug,
            "purpose": status_entry.status_list.purpose,
            "list_id": status_entry.status_list_id,
        }
    )
    # --- end of credential status ---
    # --- Continuing-education credit (the CREDIT DOCUMENTS part): the completion earned a
    # registry credit the owner claimed, with a license number only its readers may see.
    from lms.records.models_credits import CreditClaim, CreditKind, RecordCredit

    credit_kind = CreditKind.objects.create(
        organization=org,
        name=f"{public} registry hours",
        code="registry-hours",
        awarding_body=f"{public} State Registry",
        certificate_statement=f"Approved by the {public} State Registry.",
        license_profession="early_childhood",
    )
    claimed = RecordCredit.objects.create(
        record=record,
        kind=credit_kind,
        kind_name=credit_kind.name,
        awarding_body=credit_kind.awarding_body,
        unit=credit_kind.unit,
        amount=Decimal("3.50"),
        contact_hours=Decimal("3.50"),
        category="general",
        certificate_statement=credit_kind.certificate_statement,
        license_profession=credit_kind.license_profession,
        earned=True,
    )
    CreditClaim.objects.create(credit=claimed, learner=owner, license_number=f"{marker}-77")
    tenant.kwargs["verification_id:claimed_credit"] = claimed.verification_id
    # --- end of continuing-education credit ---
    # --- Credit authoring: a credit kind no training offers yet (the CREDITS-AUTHORING part),
    # so that its admins may open, edit and delete it.
    tenant.objects["records.creditkind"] = CreditKind.objects.create(
        organization=org,
        name=f"{public} social work CE",
        code="sw-ce",
        awarding_body=f"{public} board",
        certificate_statement=f"{marker} approval statement",
    )
    # --- end of credit authoring ---
    return tenant


def build_world() -> World:
    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    Site.clear_site_root_paths_cache()
    users = _people()
    users["anonymous"] = None
    a = _tenant("A", users, owner=users["learner"], slug="alder")
    b = _tenant("B", users, owner=users["other_learner"], slug="birch")
    from lms.organizations.services import add_member

    add_member(organization=a.association, user=users["facilitator"], role=Role.FACILITATOR)
    media_collection(organization=a.association)
    assert set(users) == set(ROLES), sorted(set(users) ^ set(ROLES))
    return World(users=users, tenants={"A": a, "B": b})
