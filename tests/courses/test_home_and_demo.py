from django.core.management import call_command
from wagtail.models import Page, Site

from courses.models import (
    CrossListing,
    HomePage,
    LessonPage,
    LibraryModule,
    Quiz,
    TrainingAreaHours,
    TrainingPage,
    WebinarPage,
)
from courses.selectors.ownership import association_for_page
from courses.selectors.publication import publication_errors
from demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo
from lms.accounts.models import User
from lms.organizations.models import Facilitator, Membership, Organization, OrganizationKind


def everything():
    return (
        list(Organization.objects.values().order_by("pk")),
        list(Membership.objects.values_list("user_id", "organization_id", "role").order_by("pk")),
        list(User.objects.values_list("email", "is_superuser").order_by("pk")),
        list(Site.objects.values().order_by("pk")),
        list(Page.objects.values_list("path", "title").order_by("path")),
    )


def test_default_site_serves_the_home_page(client, db):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    response = client.get("/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert b"Sign in" in response.content
    assert b'href="#main"' in response.content


def test_admin_login_page_is_served(client, db):
    # The admin signs in through allauth's page (lockout, second factor), keeping ?next=.
    response = client.get("/admin/login/?next=/admin/pages/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/?next=/admin/pages/", 302)
    assert response.status_code == 200


def test_health_check(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_load_demo_is_idempotent(framework):
    call_command("load_demo", "--quiet-accounts", verbosity=0)
    before = everything()
    call_command("load_demo", "--quiet-accounts", verbosity=0)
    assert everything() == before


def test_demo_has_two_association_sites_an_institute_a_center_and_every_role(framework, client):
    load_demo()
    kinds = list(Organization.objects.values_list("kind", flat=True))
    assert kinds.count(OrganizationKind.ASSOCIATION) == 2
    assert OrganizationKind.FACULTY_INSTITUTE in kinds and OrganizationKind.CENTER in kinds
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"admin", "editor", "reviewer", "facilitator", "manager", "staff"}

    for association in Organization.objects.filter(kind=OrganizationKind.ASSOCIATION):
        host = f"{association.slug}.localhost:8000"
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200
        assert association.name.encode() in response.content

    # Besides the sign-in accounts, only the demo center's roster (people it invited).
    assert len(DEMO_USERS) == User.objects.exclude(email__endswith="@sunrise.example").count()
    assert client.login(email="learner@attune.example", password=DEMO_PASSWORD)


def test_every_demo_account_can_sign_in(framework, client):
    load_demo()
    for spec in DEMO_USERS:
        response = client.post("/accounts/login/", {"login": spec.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, spec.email
        client.logout()


def test_demo_catalog(framework, client):
    result = load_demo()
    # The sources: each has a Spanish alias or translation beside it.
    trainings = TrainingPage.objects.filter(locale__language_code="en")
    live = trainings.filter(live=True)
    assert live.count() >= 12
    owners = {association_for_page(page=t).slug for t in trainings}
    assert owners == {"great-lakes", "prairie"}
    areas = set(TrainingAreaHours.objects.values_list("area__code", flat=True))
    assert areas == {"TF", "LRP", "SE", "DSS", "WWO", "COM", "THK", "REF"}
    assert Facilitator.objects.count() == 3
    modules = LibraryModule.objects.filter(live=True)
    assert modules.count() == 2
    assert {m.organization.slug for m in modules} == {"riverbend-institute"}
    pending = [t for t in trainings if t.workflow_in_progress]
    assert [t.title for t in pending] == ["Perinatal mood and anxiety: supporting parents"]
    assert len(result["trainings"]) == trainings.count()
    for t in live:
        assert not publication_errors(page=t), t.title
    assert CrossListing.objects.filter(catalog__locale__language_code="en").count() == 2
    # Every post-test a demo training names exists in its association's quiz bank.
    for webinar in WebinarPage.objects.all():
        for block in webinar.post_test:
            assert Quiz.objects.filter(slug=block.value["quiz"]).exists(), webinar.title

    for host in ("great-lakes.localhost:8000", "prairie.localhost:8000"):
        response = client.get("/catalog/", HTTP_HOST=host)
        assert response.status_code == 200
        assert response.context["paginator"].count >= 6
    lesson = LessonPage.objects.live().first()
    path = lesson.get_url_parts()[2]
    host = f"{association_for_page(page=lesson).slug}.localhost:8000"
    assert b"A module from the library of" in client.get(path, HTTP_HOST=host).content


def test_the_platform_hub_searches_every_catalog(framework, client):
    """A search on the platform home finds trainings of both associations, links each to its
    association's own site, and says so plainly when nothing matches."""
    load_demo()
    # The English versions: the hub speaks the visitor's language (English here).
    trainings = TrainingPage.objects.live().public().filter(locale__language_code="en")
    owners = {association_for_page(page=t).slug: t for t in trainings}
    html = client.get("/", {"q": "attachment"}, HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "Search every catalog" in html
    matching = [t for t in trainings if "attachment" in t.title.lower()]
    assert matching
    for training in matching:
        assert training.full_url in html
    assert set(owners) == {"great-lakes", "prairie"}
    nothing = client.get("/", {"q": "zzqx nothing"}, HTTP_HOST="127.0.0.1:8000")
    assert "No training matches “zzqx nothing”" in nothing.content.decode()
    hostile = client.get("/", {"q": "x" * 5000}, HTTP_HOST="127.0.0.1:8000")
    assert hostile.status_code == 200


def test_the_platform_hub_shows_a_holders_renewal_as_a_next_step(framework, client):
    load_demo()
    from lms.endorsement.models import Endorsement

    held = Endorsement.objects.filter(renewal_due__isnull=False).select_related("learner").first()
    assert held is not None
    client.force_login(held.learner)
    html = client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "Your next steps" in html and "Renewal due" in html
    assert held.category.name in html
