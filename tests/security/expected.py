"""THE table: who may get a page (a 200) from each URL of Attune, for which tenant's object.

Roles are named relative to the tenant whose objects fill the URL:

``owner``        the tenant's learner (their enrollment, records, application, seat)
``editor`` ``reviewer`` ``admin``   the tenant association's staff in that role
``manager``      the manager of the tenant's center
``facilitator``  the facilitator (association A's; nobody's for B)
``superuser``    the platform's superuser
``signed_in``    anyone signed in; ``anyone`` includes anonymous visitors (public pages);
``link``         anyone, for URLs whose secret or verification number is the credential
``any_staff``    any association's editors, reviewers and admins, whatever the tenant (for
                 what every admin user may see: organizations' names, the framework)

For a URL without objects every tenant's people count, e.g. ``editor`` means both editors.
Pages for oneself (``/records/``, ``/portfolio/``) are ``signed_in``: the content check of
the grid makes sure nobody sees another tenant's private words there.

A role listed may do what the URL does (GET it, or POST to it); the grid POSTs only as the
roles not listed, which must be refused and change nothing. A URL missing here fails the
suite: declare every new view.
"""

from .expected_checkout import EXPECTED as _checkout
from .expected_credentials import EXPECTED as _credentials
from .expected_credit_documents import EXPECTED as _credit_documents
from .expected_credits_authoring import EXPECTED as _credits_authoring
from .expected_credits_earning import EXPECTED as _credits_earning
from .expected_endorsement_clr import EXPECTED as _endorsement_clr
from .expected_invoicing import EXPECTED as _invoicing
from .expected_lti import EXPECTED as _lti
from .expected_memberships import EXPECTED as _memberships
from .expected_prices import EXPECTED as _prices
from .expected_registries import EXPECTED as _registries
from .expected_sso import EXPECTED as _sso
from .expected_xapi import EXPECTED as _xapi
from .roles import (
    ADMINS,
    ANYONE,
    APPROVERS,
    ASSOCIATION_STAFF,
    CENTER,
    EDITORS,
    LINK,
    NOBODY,
    OWNER,
    RECORD_VIEWERS,
    SIGNED_IN,
    SUPERUSER,
)
from .snippets import snippet

# Anyone with admin access may open a chooser; what it lists is scoped (content check).
ADMIN_USERS = ASSOCIATION_STAFF
ANY_ADMIN_USER = ("any_staff", "superuser")

EXPECTED = {
    # Public: health, verification of records and endorsements, registries, API docs.
    "healthz": ANYONE,
    "javascript-catalog": ANYONE,
    # The header's language switcher (POST): anyone's browser keeps the choice.
    "switch_language": ANYONE,
    # The design system's living style guide: whoever may open the admin.
    "styleguide": ANY_ADMIN_USER,
    "records:verify": LINK,
    "records:verify_credential": ANYONE,
    "records:issuer_profile": ANYONE,
    "endorsement:registry": ANYONE,
    "endorsement:verify": LINK,
    "attune_api_v1:openapi-json": ANYONE,
    "attune_api_v1:openapi-view": ANYONE,
    # The API answers only a bearer token (test_api_tokens_see_only_their_tenant).
    "attune_api_v1:list_records": NOBODY,
    "attune_api_v1:api-root": NOBODY,
    # Single sign-on: an association site's way to the platform and back (404 elsewhere),
    # and the platform's authorize endpoint (sign-in required; allauth checks the client).
    "attune_sso_login": ANYONE,
    "attune_sso_callback": ANYONE,
    "attune_sso_authorize": ANYONE,
    # One's own account, records, portfolio, learning.
    "accounts:profile": SIGNED_IN,
    "accounts:sharing": SIGNED_IN,
    # Your data: one's own download (POST) and erasure request (POST), and the page.
    "accounts:your_data": SIGNED_IN,
    "accounts:export_data": SIGNED_IN,
    "accounts:request_erasure": SIGNED_IN,
    "records:mine": SIGNED_IN,
    "records:add_external": SIGNED_IN,
    "records:log_rsc": SIGNED_IN,
    "records:transcript": SIGNED_IN,
    "records:transcript_pdf": SIGNED_IN,
    "records:transcript_csv": SIGNED_IN,
    "records:detail": OWNER,
    "records:certificate": ("owner", *RECORD_VIEWERS),
    "records:credential": ("owner",),
    "records:evidence": OWNER,  # (a completion has no evidence file: 404)
    "records:rsc_resend": OWNER,
    "records:rsc_cosign": NOBODY,  # the supervisor's, who must sign in
    "endorsement:portfolio": SIGNED_IN,
    "endorsement:readiness": SIGNED_IN,
    "endorsement:held": SIGNED_IN,
    "endorsement:tick": SIGNED_IN,
    "endorsement:remove_tick": OWNER,
    "endorsement:tick_evidence": OWNER,  # (the tick has no evidence file: 404)
    "endorsement:export": SIGNED_IN,
    "endorsement:export_csv": SIGNED_IN,
    "endorsement:export_json": SIGNED_IN,
    "endorsement:export_pdf": SIGNED_IN,
    "endorsement:export_rsc": SIGNED_IN,
    "endorsement:applications": SIGNED_IN,
    "endorsement:application": OWNER,
    "endorsement:application_training": OWNER,
    **{
        f"endorsement:application_{action}": OWNER
        for action in (
            "exclude",
            "include",
            "checklist",
            "supervisor",
            "rater",
            "rater_replace",
            "rater_resend",
            "submit",
            "withdraw",
            "reopen",
        )
    },
    "endorsement:registry_listing": OWNER,
    "endorsement:reference": NOBODY,  # the rater's, who must sign in
    "learning:mine": SIGNED_IN,
    "learning:heartbeat": LINK,  # answers only a signed watch token
    "learning:access_code": SIGNED_IN,
    "learning:enroll": SIGNED_IN,  # anyone may enroll in a published training
    "learning:status": OWNER,
    "learning:quiz": OWNER,
    "learning:evaluation": OWNER,
    "learning:lesson_done": OWNER,
    "learning:registration": SIGNED_IN,  # anyone may register for a published event
    "learning:calendar": ANYONE,  # a public event's date
    "learning:attendance": ("editor", "admin", "facilitator", "superuser"),
    "learning:attendance_preview": ("editor", "admin", "facilitator", "superuser"),
    "learning:reports": SIGNED_IN,
    "learning:report": RECORD_VIEWERS,
    "learning:report_csv": RECORD_VIEWERS,
    # Playback: the learner enrolled in the webinar, the association's staff; files only
    # with a URL signed for that viewer (the owner's).
    "media_pipeline:sources": ("owner", "editor", "reviewer", "admin", "facilitator", "superuser"),
    "media_pipeline:file": OWNER,
    # A recording's transcript as text: whoever may watch it (as its sources).
    "media_pipeline:transcript": (
        "owner",
        "editor",
        "reviewer",
        "admin",
        "facilitator",
        "superuser",
    ),
    # Centers.
    "centers:home": SIGNED_IN,
    "centers:join": LINK,  # the invitation link is the credential
    "centers:my_sharing": OWNER,  # the learner is on the center's roster
    "centers:my_leave": OWNER,
    "centers:dashboard": CENTER,
    "centers:export": CENTER,
    "centers:contracts": CENTER,
    "centers:roster": CENTER,
    "centers:add_program": CENTER,
    "centers:roster_upload": CENTER,
    "centers:roster_preview": CENTER,
    "centers:staff": CENTER,
    "centers:seats": CENTER,
    "centers:seat_release": CENTER,
    "centers:institute_library": SUPERUSER,  # the institute's authors (none in the grid)
    # Pages of an association's own site (``wagtail_serve``, by what the page is): the
    # catalog and its trainings are public; a lesson is for the learners of its course.
    "wagtail_serve:home": ANYONE,
    "wagtail_serve:catalog": ANYONE,
    "wagtail_serve:training": ANYONE,
    "wagtail_serve:lesson": ANYONE,  # what it plays is authorized by media_pipeline:sources
    # A center's private cohort, and its lessons: the center's people (the learner is on
    # its roster) and the association's authors only.
    "wagtail_serve:cohort": ("owner", "manager", "editor", "admin", "superuser"),
    "wagtail_serve:cohort_lesson": ("owner", "manager", "editor", "admin", "superuser"),
    # Attune's admin screens.
    "wagtailadmin_home": ASSOCIATION_STAFF,
    "wagtailadmin_explore": ASSOCIATION_STAFF,
    "wagtailadmin_pages:edit": ASSOCIATION_STAFF,
    # Translating pages (wagtail-localize, checked first by courses.admin.translations): the
    # editors of the page's association; its report of every association's translations:
    # superusers.
    "attune_submit_page_translation": EDITORS,
    "attune_update_translations": EDITORS,
    "attune_translations": SUPERUSER,
    "attune_translations_results": SUPERUSER,
    # Archived trainings (courses.admin.archive): the list is scoped to the trainings one may
    # restore; restoring republishes, so it takes the page's publish permission.
    "courses_archive:index": ASSOCIATION_STAFF,
    "courses_archive:restore": APPROVERS,
    # Caption exceptions (courses.admin.caption_gate): who may publish the training records
    # or revokes one (revoke is POST only).
    "courses_captions:exceptions": APPROVERS,
    "courses_captions:revoke": APPROVERS,
    "wagtailsettings:edit": ADMINS,
    "records_admin:issued_records": RECORD_VIEWERS,
    "records_admin:issued_record": RECORD_VIEWERS,
    "applications_admin:applications": APPROVERS,
    "applications_admin:application": APPROVERS,
    "applications_admin:evidence": APPROVERS,
    "integrations_admin:integrations": ADMINS,
    "integrations_admin:deliveries": ADMINS,
    # POST only: re-enable a webhook endpoint disabled after failing (the tenant's own).
    "integrations_admin:reenable_endpoint": ADMINS,
    # The audit log (lms.audit): each organization's administrators see their own.
    "audit_log": ADMINS,
    "audit_log_results": ADMINS,
    # Erasure requests (lms.accounts): the platform's administrators process them.
    "accounts_admin:erasure_requests": SUPERUSER,
    "accounts_admin:erasure_request": SUPERUSER,
    **snippet("organizations.organization", SUPERUSER, chooser=ADMIN_USERS, chosen=ANY_ADMIN_USER),
    **snippet("organizations.membership", SUPERUSER, chooser=ADMIN_USERS, chosen=ADMINS),
    **snippet(
        "organizations.facilitator",
        EDITORS,
        chooser=ADMIN_USERS,
        extra={"inspect": EDITORS},
    ),
    **snippet("organizations.facilitatorapproval", APPROVERS, chooser=ADMIN_USERS),
    **snippet(
        "organizations.contract",
        ADMINS,
        chooser=ADMIN_USERS,
        extra={"inspect": ADMINS, "activate": ADMINS, "end": ADMINS},
    ),
    **{
        name: who
        for label in ("competencyframework", "competencyarea", "subarea", "endorsementcategory")
        for name, who in snippet(
            f"competencies.{label}", SUPERUSER, chooser=ADMIN_USERS, chosen=ANY_ADMIN_USER
        ).items()
    },
    **snippet("records.certificatetemplate", ADMINS, chooser=ADMIN_USERS),
    **snippet(
        "endorsement.requirementset",
        ADMINS,
        chooser=ADMIN_USERS,
        extra={"new_version": ADMINS},
    ),
    **snippet(
        "courses.librarymodule",
        EDITORS,
        objects=SUPERUSER,  # the module belongs to an institute nobody in the grid works for
        chooser=ADMIN_USERS,
        extra={
            # Reviewers open modules to publish them (their list is scoped).
            "list": ASSOCIATION_STAFF,
            "list_results": ASSOCIATION_STAFF,
            "preview_on_add": EDITORS,
            "preview_on_edit": SUPERUSER,
            "revisions_view": SUPERUSER,
            "revisions_revert": SUPERUSER,
            "revisions_compare": SUPERUSER,
            "revisions_unschedule": SUPERUSER,
            "unpublish": SUPERUSER,
        },
    ),
    **snippet("courses.quiz", EDITORS, chooser=ADMIN_USERS),
    **snippet("courses.evaluationsurvey", EDITORS, chooser=ADMIN_USERS),
    **snippet("courses.accesscode", EDITORS, chooser=ADMIN_USERS),
    **snippet(
        "media_pipeline.recording",
        EDITORS,
        chooser=ADMIN_USERS,
        extra={
            "inspect": EDITORS,
            "add": EDITORS,
            "replace": EDITORS,
            "progress": EDITORS,
            "retry": EDITORS,
            "add_caption": EDITORS,
            "delete_caption": EDITORS,
            "caption_editor": EDITORS,
            "save_captions": EDITORS,
            "restore_caption": EDITORS,
            "download_caption": EDITORS,
            "request_captions": EDITORS,
            "upload_start": EDITORS,
            "upload_session": ("editor",),  # only the person who started the upload
            "upload_part": ("editor",),
            "upload_part_stored": ("editor",),
            "upload_sign": ("editor",),
            "upload_complete": ("editor",),
            "upload_cancel": ("editor",),
        },
    ),
}

# Payments' and the integrations' parts keep their rows in their own modules.
for _part in (
    _prices,
    _checkout,
    _memberships,
    _invoicing,
    _lti,
    _sso,
    _registries,
    _xapi,
    _endorsement_clr,
    _credits_earning,
    _credit_documents,
    _credits_authoring,
):
    assert not set(_part) & set(EXPECTED), "a URL declared twice in the grid"
    EXPECTED.update(_part)
assert not set(_credentials) & set(EXPECTED), "a URL declared twice in the grid"
EXPECTED.update(_credentials)

# Wagtail's and allauth's own views, by URL name prefix: not Attune's, guarded by Wagtail's
# group permissions (which courses/services/access.py derives from memberships) and by
# allauth. The grid still opens the Wagtail screens where tenants meet (home, explorer,
# page editor, site settings) above.
OUTSIDE = (
    "wagtailadmin",
    "wagtailimages",
    "wagtaildocs",
    "wagtailusers",
    "wagtailsites",
    "wagtailredirects",
    "wagtailforms",
    "wagtailembeds",
    "wagtailsettings:preview_on_edit",
    "wagtailsnippets:index",
    "wagtailcore_",
    "wagtail_localize:",  # its views check the page (translations are edited as pages)
    "wagtaillocales:",  # languages of the platform: managed by superusers
    "wagtail_serve",  # gridded through its pages: wagtail_serve:<kind> above
    "wagtail_bulk_action",
    "account_",
    "mfa_",
    "socialaccount_",
    "openid_connect_",  # allauth's, behind ours at the same paths (attune_sso_*)
    "idp:",  # allauth's OpenID Connect provider (the platform host only)
    "accounts/social/",  # allauth's unnamed socialaccount pages
    "admin/test404/",
    "admin/login/",
    "admin/^.*/$",
    "_util/login/",
)


def _expand(token: str, tenant: str) -> set[str]:
    tenants = ("A", "B") if tenant == "-" else (tenant,)
    if token in ("anyone", "link"):
        return {"anonymous", *_expand("signed_in", tenant)}
    if token == "signed_in":
        from .world import ROLES

        return set(ROLES) - {"anonymous"}
    if token == "owner":
        return {{"A": "learner", "B": "other_learner"}[t] for t in tenants}
    if token == "facilitator":
        return {"facilitator"} if "A" in tenants else set()
    if token == "superuser":
        return {"superuser"}
    if token == "any_staff":
        return {f"{r}_{t}" for r in ("editor", "reviewer", "admin") for t in ("A", "B")}
    return {f"{token}_{t}" for t in tenants}


def allowed_roles(name: str, tenant: str) -> set[str]:
    """The roles that may get a 200 from URL ``name`` filled with ``tenant``'s objects
    (``-`` for a URL that names none)."""
    return set().union(*(_expand(token, tenant) for token in EXPECTED[name]))


def privileged_roles(name: str, tenant: str) -> set[str]:
    """The roles allowed ``tenant``'s private words at URL ``name``: allowed by who they
    are in the tenant, or by holding the URL's secret, not because the page is public."""
    tokens = [t for t in EXPECTED[name] if t not in ("anyone", "signed_in", "any_staff")]
    return set().union(*(_expand(token, tenant) for token in tokens))


# Which tenants' private words each role may read (the content check).
READS = {
    "anonymous": (),
    "learner": ("A",),
    "other_learner": ("B",),
    "manager_A": ("A",),
    "manager_B": ("B",),
    "editor_A": ("A",),
    "reviewer_A": ("A",),
    "admin_A": ("A",),
    "editor_B": ("B",),
    "reviewer_B": ("B",),
    "admin_B": ("B",),
    "facilitator": ("A",),
    "superuser": ("A", "B"),
}
