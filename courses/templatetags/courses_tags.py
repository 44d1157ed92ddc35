"""Site-wide template tags of Attune's pages: the association's branding and site title,
and hours as people write them."""

from django import template
from wagtail.models import Site

from lms.organizations.models import AssociationBranding

register = template.Library()


@register.simple_tag(takes_context=True)
def association_branding(context):
    """The branding of the site being served, or None (never creates a row on a GET)."""
    request = context.get("request")
    if request is None:
        return None
    attr = "_attune_branding"
    if not hasattr(request, attr):
        site = Site.find_for_request(request)
        branding = AssociationBranding.objects.filter(site=site).select_related("logo").first()
        setattr(request, attr, branding)
    return getattr(request, attr)


@register.filter
def hours(value):
    """2.50 -> 2.5, 3.00 -> 3."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


@register.simple_tag(takes_context=True)
def site_title(context):
    """The name of the site being served: an association's short name, or Attune."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site else "") or "Attune"
