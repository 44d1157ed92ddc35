"""The brand a page is shown in: the association whose site serves the request, or Attune's
own on the platform site. Every template reads it as ``brand`` (see ``context_processors``);
e-mails and certificates ask ``brand_for_organization``.
"""

from dataclasses import dataclass

from wagtail.models import Site

from .models import Organization, OrganizationKind

ATTUNE_COLOUR = "#2f5d62"
ATTUNE_ACCENT = "#a7453a"


@dataclass(frozen=True)
class Brand:
    name: str
    short_name: str
    colour: str = ATTUNE_COLOUR  # header and primary buttons
    accent: str = ATTUNE_ACCENT  # links and highlights
    on_colour: str = "#ffffff"  # text on ``colour``
    logo_url: str = ""
    home_url: str = "/"
    organization_id: int | None = None

    @property
    def is_platform(self) -> bool:
        return self.organization_id is None


PLATFORM = Brand(name="Attune", short_name="Attune")


def _logo_url(organization: Organization) -> str:
    if organization.logo_id is None:
        return ""
    return organization.logo.get_rendition("height-80").url


def brand_for_organization(organization: Organization | None) -> Brand:
    if organization is None or organization.kind != OrganizationKind.ASSOCIATION:
        return PLATFORM
    return Brand(
        name=organization.name,
        short_name=organization.display_name,
        logo_url=_logo_url(organization),
        home_url=organization.site.root_url if organization.site_id else "/",
        organization_id=organization.pk,
    )


def brand_for_request(request) -> Brand:
    """One query per request at most, kept on the request."""
    cached = getattr(request, "_attune_brand", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    organization = (
        Organization.objects.filter(site=site).select_related("logo", "site").first()
        if site is not None
        else None
    )
    brand = brand_for_organization(organization)
    request._attune_brand = brand
    return brand
