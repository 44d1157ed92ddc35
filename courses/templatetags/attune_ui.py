"""What the site header needs to know: where this site's catalog is, whether the person may
open the admin, and which link is the current page. No query once the host's catalog link
is cached; the admin permission is the one the Wagtail user bar checks anyway."""

from django import template
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Page, Site

from lms.organizations.branding import BRANDS
from lms.organizations.contrast import text_colour_on

from ..models import CatalogIndexPage
from ..selectors.hub import hub_context

register = template.Library()
CACHE_SECONDS = 300


def _catalog_url(request, page=None) -> str:
    """The catalog of the site serving the request; on a site without one (the platform),
    the hub's list of associations and their catalogs. Pages of the tree know it from their
    own path; other views keep it per host in the cache with the brand (no query once
    cached; a save of a site or a page's publication moves it on)."""
    cached = getattr(request, "_attune_catalog_url", None)
    if cached is not None:
        return cached
    key = f"attune:catalog-url:{BRANDS.current()}:{request.get_host().lower()}"
    url = cache.get(key)
    if url is None:
        url = _catalog_from_database(request, page)
        cache.set(key, url, CACHE_SECONDS)
    request._attune_catalog_url = url or "/#catalogs"
    return request._attune_catalog_url


def _catalog_from_database(request, page) -> str:
    site = Site.find_for_request(request)
    if site is None:
        return ""
    root = site.root_page
    if isinstance(page, Page) and page.depth > root.depth and page.path.startswith(root.path):
        # The catalog is the root's only child: its path is the first segment below it.
        segment = page.url_path[len(root.url_path) :].split("/")[0]
        return f"/{segment}/"
    catalog = (
        CatalogIndexPage.objects.live()
        .filter(path__startswith=root.path, depth=root.depth + 1)
        .only("id", "path", "url_path", "depth")
        .first()
    )
    return (catalog.get_url(request) if catalog is not None else "") or ""


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    request = context.get("request")
    user = context.get("user")
    path = request.path if request is not None else ""
    signed_in = bool(user is not None and user.is_authenticated)
    catalog_url = _catalog_url(request, context.get("page")) if request is not None else "/"
    # The Wagtail user bar asks the same question: the permission cache serves both.
    admin = signed_in and user.has_perm("wagtailadmin.access_admin")
    links = [(catalog_url, "catalog")]
    if signed_in:
        links += [
            (reverse("learning:mine"), "learning"),
            (reverse("records:mine"), "records"),
            (reverse("endorsement:portfolio"), "portfolio"),
            (reverse("endorsement:applications"), "applications"),
            (reverse("centers:home"), "centers"),
        ]
    return {
        "request": request,
        "user": user,
        "signed_in": signed_in,
        "catalog_url": catalog_url,
        "show_admin": admin,
        "current": _current(path, links),
        "csrf_token": context.get("csrf_token"),
    }


def _current(path: str, links) -> str:
    """The key of the link whose URL is the longest prefix of ``path``."""
    best, key = 0, ""
    for url, name in links:
        url = url.split("#")[0]
        if url and url != "/" and path.startswith(url) and len(url) > best:
            best, key = len(url), name
    return key


@register.filter
def contrast_text(hex_colour: str) -> str:
    """The text colour that reads best on ``hex_colour`` (for swatches in the hub)."""
    try:
        return text_colour_on(hex_colour)
    except (TypeError, ValueError):
        return "#ffffff"


@register.simple_tag(takes_context=True)
def catalog_url(context):
    """This site's catalog (or the platform hub's list of catalogs), for empty states."""
    request = context.get("request")
    return _catalog_url(request, context.get("page")) if request is not None else "/"


@register.simple_tag(takes_context=True)
def platform_hub(context):
    """The platform home's hub: every association with its brand and catalog, and the
    signed-in learner's trainings in progress (see ``selectors.hub``)."""
    return hub_context(request=context["request"])
