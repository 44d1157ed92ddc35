"""Demo data for the embedded setup: organizations, their sites and one user per role.

Everything here is idempotent: running it again finds what exists and changes nothing.
The passwords are for a local demo only and are printed by `make run`.
"""

import functools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Page, Site

from courses.models import HomePage
from demo.catalog import load_demo_catalog
from demo.centers import load_demo_center
from demo.commerce import load_demo_commerce
from demo.credits import load_demo_credits
from demo.endorsement import load_demo_endorsement
from demo.records import load_demo_records
from demo.registries import load_demo_registries
from demo.requirements import load_demo_requirements
from demo.translations import load_demo_translations
from lms.accounts.models import User
from lms.accounts.services import get_or_create_profile
from lms.accounts.sso.clients import register_site_client
from lms.competencies.models import EndorsementCategory
from lms.organizations.models import Organization, OrganizationKind, Role
from lms.organizations.services import add_member

DEMO_PASSWORD = "attune-demo"  # noqa: S105 - local demo accounts only, printed by `make run`
DEMO_PORT = 8000


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    short_name: str
    kind: str
    state: str
    intro: str = ""


ASSOCIATIONS = [
    DemoOrganization(
        "great-lakes",
        "Great Lakes Association for Infant Mental Health",
        "GLAIMH",
        OrganizationKind.ASSOCIATION,
        "MI",
        "Webinars, courses and live trainings for infant and early childhood professionals "
        "across the Great Lakes region.",
    ),
    DemoOrganization(
        "prairie",
        "Prairie Association for Infant and Early Childhood Mental Health",
        "PAIECMH",
        OrganizationKind.ASSOCIATION,
        "KS",
        "Relationship-based training for home visitors, early educators and clinicians on the "
        "prairie.",
    ),
]
OTHERS = [
    DemoOrganization(
        "riverbend-institute",
        "Riverbend Faculty Institute for Early Relationships",
        "Riverbend",
        OrganizationKind.FACULTY_INSTITUTE,
        "MN",
    ),
    DemoOrganization(
        "sunrise-family-services",
        "Sunrise Family Services",
        "Sunrise",
        OrganizationKind.CENTER,
        "MI",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    organization: str | None = None
    roles: tuple = ()
    superuser: bool = False
    about: str = ""  # who they are in the demo, when their roles do not say it

    @property
    def description(self) -> str:
        if self.about:
            return self.about
        if self.superuser:
            return "superuser"
        if not self.roles:
            return "learner"
        return f"{', '.join(str(Role(r).label) for r in self.roles)} at {self.organization}"


DEMO_USERS = [
    DemoUser("admin@attune.example", "Avery", "Admin", superuser=True),
    DemoUser("gl-admin@attune.example", "Grace", "Lindqvist", "great-lakes", (Role.ADMIN,)),
    DemoUser("gl-editor@attune.example", "Elena", "Marsh", "great-lakes", (Role.EDITOR,)),
    DemoUser("gl-reviewer@attune.example", "Ruth", "Okafor", "great-lakes", (Role.REVIEWER,)),
    # Applications need two reviews (the default rules): each association has two reviewers.
    DemoUser("gl-reviewer2@attune.example", "Henry", "Boateng", "great-lakes", (Role.REVIEWER,)),
    DemoUser(
        "gl-facilitator@attune.example", "Farah", "Nasser", "great-lakes", (Role.FACILITATOR,)
    ),
    DemoUser("pr-admin@attune.example", "Paul", "Riggs", "prairie", (Role.ADMIN,)),
    DemoUser("pr-editor@attune.example", "Nina", "Holt", "prairie", (Role.EDITOR,)),
    DemoUser("pr-reviewer@attune.example", "Omar", "Vance", "prairie", (Role.REVIEWER,)),
    DemoUser("pr-reviewer2@attune.example", "Lucia", "Ferrer", "prairie", (Role.REVIEWER,)),
    # Editor and reviewer: writes library modules and publishes them.
    DemoUser(
        "faculty@attune.example",
        "Iris",
        "Chen",
        "riverbend-institute",
        (Role.EDITOR, Role.REVIEWER),
    ),
    DemoUser(
        "manager@attune.example", "Maya", "Brooks", "sunrise-family-services", (Role.MANAGER,)
    ),
    DemoUser("staff@attune.example", "Sam", "Delgado", "sunrise-family-services", (Role.STAFF,)),
    DemoUser("learner@attune.example", "Lee", "Parker"),
    # Endorsement (demo/endorsement.py): holders in each registry, an application waiting for
    # review, a professional ready to apply, and the raters they all name.
    DemoUser(
        "gl-endorsed@attune.example",
        "Jordan",
        "Ellis",
        about="endorsed IFS by Great Lakes, listed in its registry",
    ),
    DemoUser(
        "pr-endorsed@attune.example",
        "Priya",
        "Raman",
        about="endorsed IFA by Prairie, listed in its registry",
    ),
    DemoUser(
        "applicant@attune.example",
        "Casey",
        "Morgan",
        about="applied for IFS with Great Lakes, waiting for gl-reviewer@",
    ),
    DemoUser(
        "ready@attune.example",
        "Noor",
        "Haddad",
        about="ready to apply for IFS with Great Lakes (fee due)",
    ),
    DemoUser(
        "supervisor@attune.example",
        "Teresa",
        "Alvarez",
        about="reflective supervisor: rates applicants, co-signs RSC",
    ),
    DemoUser("colleague1@attune.example", "Ben", "Okoro", about="colleague who rates applicants"),
    DemoUser("colleague2@attune.example", "Hana", "Sato", about="colleague who rates applicants"),
]


def _organization(spec: DemoOrganization) -> Organization:
    org, _ = Organization.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "short_name": spec.short_name,
            "kind": spec.kind,
            "state": spec.state,
            "contact_email": f"info@{spec.slug}.example",
        },
    )
    return org


def _association_site(org: Organization, spec: DemoOrganization) -> Site:
    if org.site_id:
        register_site_client(site=org.site, name=org.display_name)  # demos loaded before SSO
        return org.site
    hostname = f"{spec.slug}.localhost"
    site = Site.objects.filter(hostname=hostname, port=DEMO_PORT).first()
    if site is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=spec.name, slug=spec.slug, intro=spec.intro))
        site = Site.objects.create(
            hostname=hostname, port=DEMO_PORT, root_page=home, site_name=spec.short_name
        )
    org.site = site
    org.save(update_fields=["site"])
    return site


@functools.cache
def _demo_password_hash() -> str:
    """The demo password hashed once per process: hashing takes over half a second, and
    `make run` should not spend it on every account."""
    return make_password(DEMO_PASSWORD)


def _user(spec: DemoUser) -> User:
    user = User.objects.filter(email__iexact=spec.email).first()
    if user is None:
        user = User.objects.create_user(
            email=spec.email, first_name=spec.first_name, last_name=spec.last_name
        )
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    get_or_create_profile(user=user)
    return user


def load_demo() -> dict:
    """Create the demo organizations, sites and users. Returns what exists afterwards.

    The demo's invitations, co-signature requests and decisions are made by the loader, not
    by people: their e-mails are not sent (the console would print dozens on a first run).
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load_demo()


@transaction.atomic
def _load_demo() -> dict:
    orgs = {}
    for spec in ASSOCIATIONS:
        org = _organization(spec)
        _association_site(org, spec)
        orgs[spec.slug] = org
    for spec in OTHERS:
        orgs[spec.slug] = _organization(spec)

    users = []
    for spec in DEMO_USERS:
        user = _user(spec)
        if spec.superuser and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        for role in spec.roles:
            add_member(organization=orgs[spec.organization], user=user, role=role)
        users.append(user)

    learner = User.objects.get(email="learner@attune.example")
    profile = get_or_create_profile(user=learner)
    if profile.association_id is None:
        profile.association = orgs["great-lakes"]
        profile.target_category = EndorsementCategory.objects.filter(code="IFS").first()
        profile.state = "MI"
        profile.save()

    catalog = load_demo_catalog(organizations=orgs, users=users)
    load_demo_records()
    load_demo_center()
    load_demo_requirements()
    endorsements = load_demo_endorsement()
    # Registry rosters' past live event (demo/registries.py): before the translations, so its
    # Spanish alias is made with the others on the first run.
    reported = load_demo_registries()
    if reported is not None and reported not in catalog["trainings"]:
        catalog["trainings"] = [*catalog["trainings"], reported]
    load_demo_translations()
    # After the rules and the submitted demo application: fees apply to applications to come.
    load_demo_commerce()
    # Great Lakes' credit kinds, offered on its mandated-reporting webinar.
    load_demo_credits()
    return {"organizations": orgs, "users": users, "endorsements": endorsements, **catalog}


def demo_accounts_table() -> str:
    """The demo sign-ins as a plain-text table for `make run` to print."""
    lines = [f"Demo accounts (local only), password for all: {DEMO_PASSWORD}"]
    for spec in DEMO_USERS:
        name = f"{spec.first_name} {spec.last_name}"
        lines.append(f"  {spec.email:<32} {name:<18} {spec.description}")
    lines.append("Sites: http://127.0.0.1:8000 (Attune)")
    for spec in ASSOCIATIONS:
        lines.append(
            f"       http://{spec.slug}.localhost:{DEMO_PORT} ({spec.short_name}; catalog at "
            "/catalog/)"
        )
    return "\n".join(lines)
