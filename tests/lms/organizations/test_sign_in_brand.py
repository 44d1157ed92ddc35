"""Signing in on the platform for an association's site shows that association's brand."""

from urllib.parse import quote

from demo.loader import load_demo
from lms.accounts.sso.clients import client_id_for, site_id_in_sign_in
from lms.organizations.models import Organization

PLATFORM = "127.0.0.1:8000"


def authorize_next(site) -> str:
    return f"/identity/o/authorize?client_id={client_id_for(site)}&response_type=code&scope=openid"


def test_the_platform_sign_in_carries_the_brand_of_the_site_it_came_from(framework, client):
    load_demo()
    lakes = Organization.objects.get(slug="great-lakes")
    prairie = Organization.objects.get(slug="prairie")
    for association, other in ((lakes, prairie), (prairie, lakes)):
        response = client.get(
            "/accounts/login/", {"next": authorize_next(association.site)}, HTTP_HOST=PLATFORM
        )
        assert response.status_code == 200
        brand = response.context["brand"]
        assert brand.organization_id == association.pk
        header = response.content.decode().split("</header>")[0]
        assert association.display_name in header and other.display_name not in header
    plain = client.get("/accounts/login/", HTTP_HOST=PLATFORM)
    assert plain.context["brand"].is_platform


def test_only_a_client_of_ours_names_a_site():
    assert site_id_in_sign_in("/identity/o/authorize?client_id=attune-site-7&x=1") == 7
    for hostile in (
        "",
        "/identity/o/authorize?client_id=evil-7",
        "/x?client_id=attune-site-" + "9" * 40,
        "/x?client_id=attune-site-١٢",
        quote("/identity/o/authorize?client_id=attune-site-7"),
    ):
        assert site_id_in_sign_in(hostile) is None
