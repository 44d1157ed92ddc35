"""The brand a page is shown in: the association whose site serves the request, or Attune's
own on the platform site. Every template reads it as ``brand`` (see ``context_processors``);
e-mails and certificates ask ``brand_for_organization``.

The association sets it in the Wagtail admin (Settings → Association branding): logo,
colours, tagline and short name (the organization's own). Reading it never writes a row.
"""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished

from lms.accounts.sso.clients import site_id_in_sign_in
from lms.cache_generations import Generation

from .contrast import AA_NORMAL_TEXT, WHITE, contrast_ratio, text_colour_on
from .models import AssociationBranding, Organization, OrganizationKind, all_languages

ATTUNE_COLOUR = "#2f5d62"
ATTUNE_ACCENT = "#a7453a"


@dataclass(frozen=True)
class Brand:
    name: str
    short_name: str
    colour: str = ATTUNE_COLOUR  # header and primary buttons
    accent: str = ATTUNE_ACCENT  # links and highlights on the white page
    on_colour: str = WHITE  # text on ``colour``: white or near-black, whichever reads better
    logo_url: str = ""
    home_url: str = "/"
    organization_id: int | None = None
    tagline: str = ""
    # The logo as a Wagtail image, for documents that embed it (certificates); not compared.
    logo_image: object = field(default=None, compare=False, repr=False)
    # The languages the site offers, and the one for visitors who ask for none of them.
    languages: tuple[str, ...] = field(default_factory=lambda: tuple(all_languages()))
    default_language: str = settings.LANGUAGE_CODE

    @property
    def is_platform(self) -> bool:
        return self.organization_id is None

    @property
    def link_colour(self) -> str:
        """The colour for text and outlined buttons on the white page: the brand colour when
        it reaches WCAG AA against white, else the accent (which the admin form holds to it)."""
        if contrast_ratio(self.colour, WHITE) >= AA_NORMAL_TEXT:
            return self.colour
        return self.accent


PLATFORM = Brand(name="Attune", short_name="Attune")


def _branding_of(organization: Organization) -> AssociationBranding | None:
    """The association's branding row, read through its site (select_related by the request
    path, so no query there)."""
    if organization.site_id is None:
        return None
    try:
        return organization.site.associationbranding
    except ObjectDoesNotExist:
        return None


def _logo_url(image) -> str:
    if image is None:
        return ""
    return image.get_rendition("height-80").url


def brand_for_organization(organization: Organization | None) -> Brand:
    if organization is None or organization.kind != OrganizationKind.ASSOCIATION:
        return PLATFORM
    branding = _branding_of(organization)
    logo = (branding.logo if branding and branding.logo_id else None) or (
        organization.logo if organization.logo_id else None
    )
    colour = branding.brand_colour if branding else ATTUNE_COLOUR
    return Brand(
        name=organization.name,
        short_name=organization.display_name,
        colour=colour,
        accent=branding.accent_colour if branding else ATTUNE_ACCENT,
        on_colour=text_colour_on(colour),
        logo_url=_logo_url(logo),
        home_url=organization.site.root_url if organization.site_id else "/",
        organization_id=organization.pk,
        tagline=branding.tagline if branding else "",
        logo_image=logo,
        **_languages_of(branding),
    )


def _languages_of(branding: AssociationBranding | None) -> dict:
    if branding is None:
        return {}
    known = all_languages()
    offered = tuple(code for code in known if code in (branding.languages or ()))
    if not offered:
        return {}
    default = branding.default_language
    return {"languages": offered, "default_language": default if default in offered else offered[0]}


# The brand of each host is kept in the cache, so that a page costs no query for it: any
# save or delete of what a brand is made of moves the version on, and every host's entry
# with it (a change shows on the next request, in every process that shares the cache).
CACHE_SECONDS = 600
# The generation every host's cached brand (and the catalog link beside it) is kept under.
BRANDS = Generation("brand")

page_published.connect(BRANDS.advance, dispatch_uid="brand_page_published")
page_unpublished.connect(BRANDS.advance, dispatch_uid="brand_page_unpublished")
for _model in (Organization, AssociationBranding, Site, get_image_model()):
    post_save.connect(BRANDS.advance, sender=_model, dispatch_uid=f"brand_saved_{_model.__name__}")
    post_delete.connect(
        BRANDS.advance, sender=_model, dispatch_uid=f"brand_deleted_{_model.__name__}"
    )


def _brand_from_database(request) -> Brand:
    site = Site.find_for_request(request)
    organization = (
        Organization.objects.filter(site=site)
        .select_related("logo", "site", "site__associationbranding__logo")
        .first()
        if site is not None
        else None
    )
    return brand_for_organization(organization)


def brand_for_request(request) -> Brand:
    """The brand of the host the request is for: from the cache (no query), else from one
    query (the organization, its site, branding and logos joined). Kept on the request."""
    cached = getattr(request, "_attune_brand", None)
    if cached is not None:
        return cached
    version = BRANDS.current()
    key = f"attune:brand:{version}:{request.get_host().lower()}"
    brand = cache.get(key)
    if brand is None:
        brand = _brand_from_database(request)
        # The image object stays out of the cache; documents ask brand_for_organization.
        cache.set(key, replace(brand, logo_image=None), CACHE_SECONDS)
    if brand.is_platform:
        # Signing in on the platform for an association's site: that association's brand.
        site_id = site_id_in_sign_in(request.GET.get("next", ""))
        if site_id is not None:
            brand = _brand_of_site(site_id, version) or brand
    request._attune_brand = brand
    return brand


def _brand_of_site(site_id: int, version: int) -> Brand | None:
    key = f"attune:brand:{version}:site:{site_id}"
    brand = cache.get(key)
    if brand is None:
        organization = (
            Organization.objects.filter(site_id=site_id, kind=OrganizationKind.ASSOCIATION)
            .select_related("logo", "site", "site__associationbranding__logo")
            .first()
        )
        brand = replace(brand_for_organization(organization), logo_image=None)
        cache.set(key, brand, CACHE_SECONDS)
    return None if brand.is_platform else brand
